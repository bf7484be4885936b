import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import type { LoadedConfig } from '../config/load.js';
import { loadYamlFile, type YamlSource } from '../config/yaml-source.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { RunStore } from '../store/run-store.js';
import { latestNoiseCalibration } from '../store/gate-queries.js';
import type { RunRecord } from '../store/types.js';
import { evaluateGate, type GateSide } from './evaluate.js';
import { extractCaseTable, type MetricName } from './metrics.js';
import { parseGatePolicy, resolveGatePolicy, type GatePolicy, type GatePolicyInput } from './policy.js';
import type { GateVerdict } from './types.js';
import { judgeCalibrationStatuses } from '../judge/calibration/status.js';

/**
 * Effective policy for a suite: defaults ← llmops.yaml `gates:` ← the suite's `gates:`.
 * Errors point at file:line and key path of whichever file is wrong.
 */
export function loadGatePolicy(loaded: LoadedConfig | null, suiteFile: string | undefined, override: GatePolicyInput = {}): GatePolicy {
  const layers: GatePolicyInput[] = [];
  const cfgGates = loaded?.config.gates;
  if (cfgGates !== undefined) layers.push(parseGatePolicy(cfgGates, loaded?.source ?? undefined, ['gates']));
  if (suiteFile && existsSync(suiteFile)) {
    const src: YamlSource = loadYamlFile(suiteFile, 'suite');
    const raw = (src.data as Record<string, unknown> | null)?.gates;
    if (raw !== undefined) layers.push(parseGatePolicy(raw, src, ['gates']));
  }
  layers.push(override);
  return resolveGatePolicy(...layers);
}

export function suiteFileOf(run: RunRecord): string | undefined {
  const f = run.params.suiteFile;
  return typeof f === 'string' ? f : undefined;
}

/** Streams a stored run's results into its per-case table. */
export function loadGateSide(store: RunStore, run: RunRecord, policy: GatePolicy): GateSide {
  const judge = policy.metrics.find((m) => m.metric === 'judgeScore')?.scorer;
  return { run, table: extractCaseTable(store.iterateResults(run.id, { texts: false }), { judgeScorer: judge }) };
}

/**
 * The run pinned as the suite's baseline. `accepts` is what the command's --baseline takes
 * instead (the hint names it); `dbPath`, when given, says which database has no pin.
 */
export function pinnedBaselineRun(store: RunStore | undefined, suite: string, accepts: string, dbPath?: string): RunRecord {
  const pin = store?.getBaseline(suite);
  if (!store || !pin) {
    throw new NotFoundError(`No baseline is pinned for suite '${suite}'${dbPath ? ` (in ${dbPath})` : ''}.`, `Pin one with \`llmops baseline set <run-id>\`, or pass --baseline ${accepts}.`);
  }
  return store.getRun(pin.runId);
}

/** `pinned` → the suite's pinned baseline; anything else → a run id (or unique prefix). */
export function resolveBaselineRun(store: RunStore, candidate: RunRecord, ref: string): RunRecord {
  return ref === 'pinned' ? pinnedBaselineRun(store, candidate.suite, '<run-id>') : store.getRun(ref);
}

export function assertGateable(run: RunRecord, role: string): void {
  if (run.status !== 'completed') {
    throw new UsageError(`The ${role} run ${run.id} is ${run.status}; only completed runs can be gated.`, `Finish it with \`llmops eval --resume ${run.id}\`.`);
  }
}

export interface GateRunsResult {
  verdict: GateVerdict;
  decisionId: number;
  /** Where margins came from when `noise`: the calibration used, if any. */
  calibrationId: number | null;
}

/** Gates a stored run against a stored baseline (or thresholds only) and records the decision for audit. */
/**
 * Judges whose scores feed this gate but that were never calibrated against human labels, or
 * agree with them below the floor: the verdict stands, but the reader is told.
 */
export function judgeNotes(store: RunStore, run: RunRecord, minKappa?: number): string[] {
  const scores = store.judgeIdentities(run.id).map((meta) => ({ meta }));
  return judgeCalibrationStatuses(store.db, scores, minKappa).filter((s) => s.status !== 'calibrated').map((s) => s.message);
}

export function gateStoredRuns(store: RunStore, candidate: RunRecord, baseline: RunRecord | null, policy: GatePolicy, now = new Date(), opts: { minKappa?: number } = {}): GateRunsResult {
  assertGateable(candidate, 'candidate');
  if (baseline) assertGateable(baseline, 'baseline');
  const calibration = latestNoiseCalibration(store.db, candidate.suite);
  const verdict = evaluateGate({
    candidate: loadGateSide(store, candidate, policy),
    baseline: baseline ? loadGateSide(store, baseline, policy) : null,
    policy,
    noise: calibration?.noise as Partial<Record<MetricName, number>> | undefined,
    threads: availableParallelism(),
  });
  const notes = judgeNotes(store, candidate, opts.minKappa);
  if (notes.length) verdict.notes = notes;
  const decisionId = store.saveGateDecision({
    runId: candidate.id, baselineRunId: baseline?.id ?? null, verdict: verdict.verdict, policy,
    result: { ...verdict, policy: undefined, calibrationId: calibration?.id ?? null },
  }, now);
  return { verdict, decisionId, calibrationId: calibration?.id ?? null };
}
