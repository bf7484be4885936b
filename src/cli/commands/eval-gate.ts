import { existsSync } from 'node:fs';
import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { ExitCode, InputError, LlmopsError, NotFoundError, UsageError } from '../../errors.js';
import type { PreparedEval } from '../../eval/orchestrate.js';
import { gateStoredRuns, loadGatePolicy, pinnedBaselineRun, suiteFileOf } from '../../gate/service.js';
import type { GateVerdict } from '../../gate/types.js';
import { openStore, type RunStore } from '../../store/index.js';
import type { Suite } from '../../suite/types.js';
import type { RunRecord } from '../../store/types.js';
import type { GlobalOptions } from '../context.js';
import { dim, info } from '../output.js';
import type { EvalFlags } from './eval.js';
import { exitCodeOf } from './gate-action.js';

const severity = (code: number) => (code === ExitCode.gateFailed ? 3 : code === ExitCode.inconclusive ? 2 : code === ExitCode.ok ? 0 : 1);

/** A stored run by id/prefix, or undefined when `ref` is not one (then it is a model ref). */
function runByRef(store: RunStore, ref: string): RunRecord | undefined {
  try {
    return store.getRun(ref);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/**
 * Checks `eval --baseline <ref>` before the candidate runs, so a typo or a missing key costs no
 * tokens and stores nothing: `pinned` needs a pin for every suite, a run id must exist, and
 * anything else must resolve as a model ref with its credentials set.
 */
export async function checkBaselineRef(ref: string, suites: readonly Suite[], loaded: LoadedConfig, dbPath: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const store = existsSync(dbPath) ? openStore(dbPath, { readonly: true }) : undefined;
  try {
    if (ref === 'pinned') {
      for (const s of suites) pinnedBaselineRun(store, s.name, '<model-ref|run-id>', dbPath);
      return;
    }
    const run = store && runByRef(store, ref);
    if (run) {
      // One stored run is the baseline of one suite: the gate would refuse any other afterwards.
      const other = suites.find((s) => s.name !== run.suite);
      if (other) throw new UsageError(`--baseline ${ref}: run ${run.id} is of suite '${run.suite}', but this eval runs suite '${other.name}'.`, 'Gate each suite against a run of the same suite, or use a model ref or "pinned".');
      return;
    }
  } finally {
    store?.db.close();
  }
  const { createProvider, resolveModelRef } = await import('../../providers/registry.js');
  const resolved = resolveModelRef(ref, loaded.config, { file: '--baseline' });
  try {
    // Creating the provider checks its key and, for a replay, its recording; it calls nothing.
    await createProvider(resolved, env);
  } catch (err) {
    if (err instanceof LlmopsError && !(err instanceof InputError)) throw new UsageError(`--baseline ${ref}: ${err.message}`, err.hint);
    throw err;
  }
}

/**
 * The baseline of one candidate run for `eval --baseline <ref>`: `pinned`, a run id, or a model
 * ref — the latest completed run of that model on the same suite content is reused, else the
 * baseline model is evaluated now on the same cases.
 */
async function baselineFor(store: RunStore, candidate: RunRecord, ref: string, flags: EvalFlags, g: GlobalOptions): Promise<RunRecord> {
  if (ref === 'pinned') return pinnedBaselineRun(store, candidate.suite, '<model-ref|run-id>');
  const run = runByRef(store, ref);
  if (run) return run;
  const reused = store.latestCompletedRun(candidate.suite, ref, candidate.suiteHash);
  const sameSelection = reused && JSON.stringify(reused.params.selection ?? {}) === JSON.stringify(candidate.params.selection ?? {}) && reused.params.repeat === candidate.params.repeat;
  if (reused && sameSelection) {
    info(dim(`baseline: reusing run ${reused.id} of ${ref} (same suite content and case selection)`));
    return reused;
  }
  const suiteFile = suiteFileOf(candidate);
  if (!suiteFile) throw new UsageError(`Cannot tell which suite file run ${candidate.id} used, to run the baseline ${ref} on it.`);
  info(dim(`baseline: evaluating ${ref} on suite ${candidate.suite}…`));
  const { prepareEval, executeEval } = await import('../../eval/orchestrate.js');
  const { PlainReporter } = await import('../../eval/plain-reporter.js');
  const { silentReporter } = await import('../../eval/reporter.js');
  const selection = (candidate.params.selection ?? {}) as Parameters<typeof prepareEval>[0]['selection'];
  const prep = await prepareEval({
    loaded: loadConfig(g.config), dbPath: g.db, suites: [suiteFile], models: [ref], repeat: flags.repeat, selection, noCache: !flags.cache,
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
  });
  try {
    const outcomes = await executeEval(prep, g.json ? silentReporter : new PlainReporter((l) => info(l)));
    const o = outcomes[0]!;
    if (o.status !== 'completed') throw new UsageError(`The baseline run ${o.runId} of ${ref} is ${o.status}: ${o.reason ?? ''}`, `Finish it with \`llmops eval --resume ${o.runId}\`, then \`llmops gate ${candidate.id} --baseline ${o.runId}\`.`);
    return store.getRun(o.runId);
  } finally {
    prep.store.db.close();
  }
}

export interface GateOutcome {
  verdicts: Array<{ verdict: GateVerdict; decisionId: number }>;
  code: number;
}

/** `llmops eval … --baseline <ref>`: gates every candidate run just made (stored as decisions); the caller prints them. */
export async function gateAfterEval(prep: PreparedEval, flags: EvalFlags, g: GlobalOptions): Promise<GateOutcome> {
  const store = prep.store;
  const loaded = loadConfig(g.config);
  const verdicts: Array<{ verdict: GateVerdict; decisionId: number }> = [];
  let code: number = ExitCode.ok;
  for (const { run } of prep.runs) {
    const candidate = store.getRun(run.id);
    const baseline = await baselineFor(store, candidate, flags.baseline!, flags, g);
    if (baseline.id === candidate.id || (baseline.model === candidate.model && baseline.batchId === candidate.batchId)) continue; // the baseline model itself
    const policy = loadGatePolicy(loaded, suiteFileOf(candidate));
    const res = gateStoredRuns(store, candidate, baseline, policy, new Date(), loaded.config.judge ? { minKappa: loaded.config.judge.minKappa } : {});
    verdicts.push(res);
    const c = exitCodeOf(res.verdict.verdict, flags.inconclusive);
    if (severity(c) > severity(code)) code = c;
  }
  return { verdicts, code };
}
