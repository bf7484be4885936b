import { addFeedback, addJudgement, addRequest, emptyTally } from '../../src/experiment/tally.js';
import type { ArmTally, ExperimentRecord, ExperimentSpec } from '../../src/experiment/types.js';

/** A tally with `up` thumbs-up out of `rated` ratings, and `requests` successful requests (one unit each). */
export function thumbsTally(up: number, rated: number, extra: Partial<ArmTally> = {}): ArmTally {
  const t = emptyTally();
  for (let i = 0; i < rated; i++) addFeedback(t, i < up);
  t.requests = rated;
  t.units = rated;
  return { ...t, ...extra };
}

export function tallyOf(opts: { requests?: number; errors?: number; latencies?: number[]; qualities?: number[]; hallucinated?: [number, number] }): ArmTally {
  const t = emptyTally();
  const rnd = () => 0.5;
  for (const l of opts.latencies ?? []) addRequest(t, { ok: true, latencyMs: l, costUsd: 0.001, newUnit: true }, rnd);
  for (let i = 0; i < (opts.errors ?? 0); i++) addRequest(t, { ok: false, latencyMs: 0, costUsd: 0, newUnit: true }, rnd);
  for (let i = (opts.latencies?.length ?? 0) + (opts.errors ?? 0); i < (opts.requests ?? 0); i++) addRequest(t, { ok: true, latencyMs: 100, costUsd: 0.001, newUnit: true }, rnd);
  for (const q of opts.qualities ?? []) addJudgement(t, { quality: q });
  if (opts.hallucinated) for (let i = 0; i < opts.hallucinated[1]; i++) addJudgement(t, { hallucinated: i < opts.hallucinated[0] });
  return t;
}

export function spec(over: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
    deployment: 'chat', arms: { A: 'small', B: 'large' }, splitB: 50, primary: 'thumbs_up',
    guardrails: [], minSamples: 1000, minDurationMs: 7 * 86_400_000, alpha: 0.05, guardrailAlpha: 0.01, guardrailMinSamples: 100,
    ...over,
  };
}

export function record(s: ExperimentSpec, A: ArmTally, B: ArmTally, over: Partial<ExperimentRecord> = {}): ExperimentRecord {
  return { id: 'exp-1', spec: s, status: 'running', startedAt: 0, variantNames: { A: 'baseline', B: 'B' }, tallies: { A, B }, sequentialP: {}, flips: 0, ...over };
}

export const DAY = 86_400_000;
