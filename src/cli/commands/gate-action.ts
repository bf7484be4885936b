import { appendFileSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { ExitCode, UsageError } from '../../errors.js';
import { evaluateGate } from '../../gate/evaluate.js';
import { noiseFromAA } from '../../gate/calibrate.js';
import { formatValue } from '../../gate/format.js';
import { METRICS, type MetricName } from '../../gate/metrics.js';
import type { GatePolicyInput } from '../../gate/policy.js';
import { gateStoredRuns, loadGatePolicy, loadGateSide, resolveBaselineRun, suiteFileOf } from '../../gate/service.js';
import type { GateVerdict } from '../../gate/types.js';
import { renderGateJUnit } from '../../report/gate-junit.js';
import { renderGateMarkdown } from '../../report/gate-markdown.js';
import { renderGateText } from '../../report/gate-text.js';
import { writeFileAtomically } from '../../report/atomic-write.js';
import { saveNoiseCalibration } from '../../store/gate-queries.js';
import { openStore, type RunStore } from '../../store/index.js';
import type { RunRecord } from '../../store/types.js';
import type { GlobalOptions } from '../context.js';
import { dim, info, printJson, printResult } from '../output.js';
import type { GateFlags } from './gate.js';

export function overridesOf(flags: { seed?: string; resamples?: number }): GatePolicyInput {
  return { ...(flags.seed === undefined ? {} : { seed: flags.seed }), ...(flags.resamples === undefined ? {} : { resamples: flags.resamples }) };
}

/** Exit code of a verdict: 0 pass, 1 fail, 4 inconclusive unless `--inconclusive` maps it. */
export function exitCodeOf(verdict: GateVerdict['verdict'], inconclusive?: 'pass' | 'fail'): number {
  if (verdict === 'pass') return ExitCode.ok;
  if (verdict === 'fail') return ExitCode.gateFailed;
  return inconclusive === 'pass' ? ExitCode.ok : inconclusive === 'fail' ? ExitCode.gateFailed : ExitCode.inconclusive;
}

/** Markdown / JUnit / step summary / stdout for one or more verdicts. */
export function emitVerdicts(verdicts: Array<{ verdict: GateVerdict; decisionId: number }>, flags: Pick<GateFlags, 'junit' | 'markdown'>, g: GlobalOptions, json: boolean): void {
  const md = verdicts.map((v) => renderGateMarkdown(v.verdict)).join('\n');
  if (flags.markdown) writeFileAtomically(flags.markdown, (w) => w(md));
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${md}\n`);
  if (flags.junit) {
    // One file: several verdicts (eval over several suites/models) become several <testsuites> documents joined.
    const xml = verdicts.length === 1 ? renderGateJUnit(verdicts[0]!.verdict) : mergeJUnit(verdicts.map((v) => renderGateJUnit(v.verdict)));
    writeFileAtomically(flags.junit, (w) => w(xml));
  }
  if (json) return;
  for (const v of verdicts) {
    printResult(renderGateText(v.verdict, { color: g.color }));
    info(dim(`gate decision #${v.decisionId} stored in ${g.db}`));
  }
}

function mergeJUnit(docs: string[]): string {
  const suites = docs.map((d) => d.split('\n').filter((l) => l.startsWith('  ')).join('\n'));
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="llmops gate">', ...suites, '</testsuites>', ''].join('\n');
}

function openExisting(g: GlobalOptions): RunStore {
  return openStore(g.db, { mustExist: true });
}

export async function runGateCommand(runRef: string, flags: GateFlags, g: GlobalOptions): Promise<number> {
  const loaded = loadConfig(g.config);
  const store = openExisting(g);
  try {
    const candidate = store.getRun(runRef);
    let baseline: RunRecord | null = null;
    if (flags.baseline) baseline = resolveBaselineRun(store, candidate, flags.baseline);
    else {
      const pin = store.getBaseline(candidate.suite);
      if (pin && pin.runId !== candidate.id) baseline = store.getRun(pin.runId);
      else info(dim(`no --baseline and no pinned baseline for suite '${candidate.suite}': checking absolute thresholds only`));
    }
    const policy = loadGatePolicy(loaded, suiteFileOf(candidate), overridesOf(flags));
    const res = gateStoredRuns(store, candidate, baseline, policy, new Date(), loaded.config.judge ? { minKappa: loaded.config.judge.minKappa } : {});
    if (g.json) printJson({ ...res.verdict, decisionId: res.decisionId, calibrationId: res.calibrationId });
    emitVerdicts([res], flags, g, g.json);
    return exitCodeOf(res.verdict.verdict, flags.inconclusive);
  } finally {
    store.db.close();
  }
}

export function setBaselineCommand(runRef: string, g: GlobalOptions): void {
  const store = openExisting(g);
  try {
    const run = store.getRun(runRef);
    if (run.status !== 'completed') throw new UsageError(`Run ${run.id} is ${run.status}; only a completed run can be a baseline.`, `Finish it with \`llmops eval --resume ${run.id}\`.`);
    store.setBaseline(run.suite, run.id);
    if (g.json) printJson({ suite: run.suite, runId: run.id, model: run.model });
    else printResult(`baseline of suite ${run.suite} is now ${run.id} (${run.model})`);
  } finally {
    store.db.close();
  }
}

export function showBaselineCommand(suite: string | undefined, g: GlobalOptions): void {
  const store = openExisting(g);
  try {
    const list = store.listBaselines().filter((b) => !suite || b.suite === suite).map((b) => {
      const run = store.findRun(b.runId);
      return { ...b, model: run?.model ?? null, startedAt: run?.startedAt ?? null, counts: store.countResults(b.runId) };
    });
    if (g.json) { printJson(list); return; }
    if (list.length === 0) { printResult(suite ? `no baseline pinned for suite ${suite}` : 'no baselines pinned (llmops baseline set <run>)'); return; }
    for (const b of list) printResult(`${b.suite}\t${b.runId}\t${b.model ?? '?'}\tpinned ${b.setAt}\t${b.counts.pass}/${b.counts.pass + b.counts.fail} passed`);
  } finally {
    store.db.close();
  }
}

export function compareRunsCommand(aRef: string, bRef: string, opts: { seed?: string; resamples?: number; flips: number }, g: GlobalOptions): void {
  const loaded = loadConfig(g.config);
  const store = openExisting(g);
  try {
    const a = store.getRun(aRef);
    const b = store.getRun(bRef);
    const policy = loadGatePolicy(loaded, suiteFileOf(b), overridesOf(opts));
    // Comparison only: deltas and intervals, no thresholds; nothing is stored (this is not a gate).
    const comparePolicy = { ...policy, metrics: policy.metrics.map((m) => ({ ...m, min: undefined, max: undefined })) };
    const v = evaluateGate({ candidate: loadGateSide(store, b, comparePolicy), baseline: loadGateSide(store, a, comparePolicy), policy: comparePolicy });
    if (g.json) { printJson(v); return; }
    printResult(renderGateText(v, { color: g.color, maxFlips: opts.flips, title: 'compare (non-inferiority at the policy margins, no targets):' }));
    if (v.improvements.length) {
      printResult('improved cases (failed in the baseline, pass now), best first:');
      for (const f of v.improvements.slice(0, opts.flips)) printResult(`  ${f.caseId}`);
    }
  } finally {
    store.db.close();
  }
}

export async function runAaCommand(suitePath: string, model: string, flags: GateFlags, g: GlobalOptions): Promise<number> {
  const { prepareEval, executeEval } = await import('../../eval/orchestrate.js');
  const { PlainReporter } = await import('../../eval/plain-reporter.js');
  const { silentReporter } = await import('../../eval/reporter.js');
  const loaded = loadConfig(g.config);
  const runs: RunRecord[] = [];
  for (const pass of [1, 2]) {
    // No cache: a cached answer would make the second run a copy of the first and hide the noise.
    const prep = await prepareEval({ loaded, dbPath: g.db, suites: [suitePath], models: [model], repeat: 1, selection: {}, noCache: true });
    info(dim(`A/A run ${pass} of 2: ${prep.runs[0]!.run.id}`));
    const outcomes = await executeEval(prep, g.json ? silentReporter : new PlainReporter((l) => info(l)));
    prep.store.db.close();
    const o = outcomes[0]!;
    if (o.status !== 'completed') return ExitCode.incomplete;
    runs.push(prep.runs[0]!.run);
  }
  const store = openExisting(g);
  try {
    const [first, second] = [store.getRun(runs[0]!.id), store.getRun(runs[1]!.id)];
    const policy = loadGatePolicy(loaded, suiteFileOf(second), overridesOf(flags));
    // Noise concerns comparisons only; thresholds are about the model, not the noise.
    const comparePolicy = { ...policy, metrics: policy.metrics.map((m) => ({ ...m, min: undefined, max: undefined })) };
    const sideA = loadGateSide(store, first, comparePolicy);
    const sideB = loadGateSide(store, second, comparePolicy);
    const withDefaults = evaluateGate({ candidate: sideB, baseline: sideA, policy: comparePolicy });
    const noise = noiseFromAA(withDefaults);
    const calibrated = evaluateGate({ candidate: sideB, baseline: sideA, policy: { ...comparePolicy, metrics: comparePolicy.metrics.map((m) => ({ ...m, margin: 'noise' as const })) }, noise });
    const id = saveNoiseCalibration(store.db, { suite: second.suite, model: second.model, runA: first.id, runB: second.id, noise: noise as Record<string, number> });
    const decisionId = store.saveGateDecision({ runId: second.id, baselineRunId: first.id, verdict: calibrated.verdict, policy: { ...comparePolicy, aa: true }, result: { ...calibrated, policy: undefined, aaCalibrationId: id } });
    const rows = (Object.keys(noise) as MetricName[]).map((m) => ({
      metric: m, noise: noise[m]!, unit: METRICS[m].marginKind === 'relative' ? 'fraction of baseline' : METRICS[m].unit === '%' ? 'points' : METRICS[m].unit,
      defaultVerdict: withDefaults.metrics.find((x) => x.metric === m)?.verdict ?? null,
    }));
    if (g.json) {
      printJson({ suite: second.suite, model: second.model, runA: first.id, runB: second.id, calibrationId: id, decisionId, noise: rows, aaVerdictWithDefaultMargins: withDefaults.verdict, aaVerdictWithCalibratedMargins: calibrated.verdict });
    } else {
      printResult(`A/A calibration #${id} of suite ${second.suite} with ${second.model}: ${first.id} vs ${second.id}`);
      for (const r of rows) {
        const shown = METRICS[r.metric].marginKind === 'relative' ? `${(r.noise * 100).toFixed(1)}% of baseline` : METRICS[r.metric].unit === '%' ? `${(r.noise * 100).toFixed(2)} pts` : formatValue(r.metric, r.noise);
        printResult(`  ${r.metric.padEnd(18)} noise ${shown.padEnd(22)} (with default margins: ${r.defaultVerdict})`);
      }
      printResult(`A/A gate with the calibrated margins: ${calibrated.verdict.toUpperCase()}; with the default margins: ${withDefaults.verdict.toUpperCase()}`);
      info(dim('Gates of this suite now use these as `margin: noise` (set a number in `gates:` to override).'));
    }
    return calibrated.verdict === 'pass' ? ExitCode.ok : exitCodeOf(calibrated.verdict);
  } finally {
    store.db.close();
  }
}
