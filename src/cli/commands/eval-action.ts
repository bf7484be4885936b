import { setMaxListeners } from 'node:events';
import { loadConfig } from '../../config/load.js';
import { ExitCode, UsageError } from '../../errors.js';
import { executeEval, prepareEval } from '../../eval/orchestrate.js';
import { PlainReporter } from '../../eval/plain-reporter.js';
import type { EvalReporter } from '../../eval/reporter.js';
import { silentReporter } from '../../eval/reporter.js';
import { summarizeRun } from '../../eval/summary.js';
import { checkOutputPaths, writeEvalOutputs } from '../../report/eval-outputs.js';
import { renderJudgeLines, renderScoresTable, renderSummaryTable } from '../../report/summary-table.js';
import type { GlobalOptions } from '../context.js';
import { dim, info, onOutputClosed, printJson, printResult, yellow } from '../output.js';
import type { Suite } from '../../suite/types.js';
import type { EvalFlags } from './eval.js';
import type { GateOutcome } from './eval-gate.js';

async function pickReporter(g: GlobalOptions): Promise<EvalReporter> {
  if (process.stderr.isTTY && !process.env.CI && !g.json) {
    const { InkEvalReporter } = await import('../../ui/ink-eval-reporter.js');
    return new InkEvalReporter();
  }
  if (g.json && !process.stderr.isTTY) return new PlainReporter((l) => info(l), 10_000);
  return new PlainReporter((l) => info(l));
}

export async function runEvalCommand(suiteArgs: string[], flags: EvalFlags, g: GlobalOptions): Promise<number> {
  if (flags.resume && (flags.limit || flags.filter || flags.sample || flags.shard)) {
    throw new UsageError('--resume keeps the run\'s own case selection; drop --limit/--filter/--sample/--shard.');
  }
  if (flags.inconclusive && !flags.baseline) throw new UsageError('--inconclusive applies to a gate: add --baseline <ref>.');
  checkOutputPaths(flags.output ?? []);
  const loaded = loadConfig(g.config);
  let models = flags.model ?? [];
  let suites = suiteArgs;
  if (flags.resume && (models.length === 0 || suites.length === 0)) {
    // The run knows its model and suite file; read them without creating the database.
    const { openStore } = await import('../../store/index.js');
    const s = openStore(g.db, { mustExist: true });
    try {
      const run = s.getRun(flags.resume);
      if (models.length === 0) models = [run.model];
      const file = run.params.suiteFile;
      if (suites.length === 0 && typeof file === 'string') suites = [file];
    } finally {
      s.db.close();
    }
  }
  const prep = await prepareEval({
    loaded, dbPath: g.db, suites, models,
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    repeat: flags.repeat,
    selection: {
      ...(flags.filter ? { filter: flags.filter } : {}),
      ...(flags.limit ? { limit: flags.limit } : {}),
      ...(flags.sample ? { sample: flags.sample, seed: flags.seed ?? '1' } : {}),
      ...(flags.shard ? { shard: flags.shard } : {}),
    },
    noCache: !flags.cache,
    ...(flags.resume ? { resume: flags.resume } : {}),
    ...(flags.record ? { record: flags.record } : {}),
    ...(flags.errorBudget === undefined ? {} : { errorBudget: flags.errorBudget }),
    ...(flags.baseline ? { preflight: async (suites: readonly Suite[]) => (await import('./eval-gate.js')).checkBaselineRef(flags.baseline!, suites, loaded, g.db) } : {}),
  });

  const controller = new AbortController();
  // Every in-flight attempt listens on this one signal; hundreds at -j 100 are expected.
  setMaxListeners(0, controller.signal);
  // First interrupt: start no new case, let the calls in flight finish and be stored (they are
  // paid for). Second: cancel those calls (their cases stay missing for --resume). Third: quit.
  const stop = new AbortController();
  const stopGracefully = () => {
    if (stop.signal.aborted) return;
    info(yellow('\nStopping: no new cases; the calls in flight finish and are stored… (Ctrl-C again to cancel them)'));
    stop.abort();
  };
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) stopGracefully();
    else if (interrupts === 2) {
      info(yellow('Cancelling the calls in flight… (Ctrl-C again to quit at once)'));
      controller.abort();
    } else process.exit(ExitCode.incomplete);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const offOutputClosed = onOutputClosed(stopGracefully); // a closed output pipe (EPIPE) stops the run as a first Ctrl-C does
  const reporter = g.json ? silentReporter : await pickReporter(g);
  let outcomes;
  try {
    outcomes = await executeEval(prep, reporter, controller.signal, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    offOutputClosed();
  }

  const summaries = prep.runs.map((r) => summarizeRun(prep.store, r.run.id));
  if (flags.output?.length) writeEvalOutputs(flags.output, summaries, prep.store);

  let code: number = ExitCode.ok;
  const incomplete = outcomes.filter((o) => o.status !== 'completed');
  if (incomplete.length) code = ExitCode.incomplete;

  // The gate runs before anything is printed so that with --json the one JSON document holds its verdicts.
  let gate: GateOutcome | undefined;
  if (flags.baseline && code === ExitCode.ok) {
    const { gateAfterEval } = await import('./eval-gate.js');
    gate = await gateAfterEval(prep, flags, g);
  }

  if (g.json) {
    printJson({ runs: summaries, outcomes, ...(gate ? { gate: gate.verdicts.map((v) => ({ ...v.verdict, decisionId: v.decisionId })) } : {}) });
  } else {
    printResult(renderSummaryTable(summaries, { color: g.color }));
    // Per-scorer rows add nothing to one scorer's pass rate, unless a scorer could not score.
    if (summaries.some((s) => s.scores.length > 1 || s.scores.some((sc) => sc.errors > 0))) printResult(renderScoresTable(summaries, { color: g.color }));
    for (const line of renderJudgeLines(summaries)) printResult(line);
    for (const s of summaries) {
      for (const sc of s.scores) if (sc.errors > 0) info(yellow(`run ${s.runId}: scorer ${sc.name} could not score ${sc.errors} result${sc.errors === 1 ? '' : 's'}; see llmops runs show ${s.runId} --cases errors`));
    }
    for (const o of incomplete) {
      info(yellow(`run ${o.runId} is ${o.status}: ${o.reason ?? ''}`));
      info(dim(`  finish it with: llmops eval --resume ${o.runId}`));
    }
    info(dim(`stored in ${g.db} · details: llmops runs show <run-id> --cases failed`));
    if (summaries.every((s) => s.provider === 'sim')) {
      info(dim('These are simulated models (provider: sim). To evaluate real ones, add them under `models:` in llmops.yaml'));
      info(dim('(provider openai|anthropic, model, apiKeyEnv, baseURL for vLLM/Ollama/LiteLLM), export the API key, and run'));
      info(dim('`llmops eval -m <name>`; or use a shorthand such as -m openai:gpt-4o-mini with OPENAI_API_KEY set.'));
    }
  }
  if (gate) {
    const { emitVerdicts } = await import('./gate-action.js');
    emitVerdicts(gate.verdicts, {}, g, g.json);
    code = gate.code;
  }
  prep.store.db.close();
  return code;
}
