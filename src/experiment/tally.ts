import type { ArmTally, Moments } from './types.js';

/** Latency observations kept per arm for the rank test; a uniform reservoir beyond that. */
export const LATENCY_SAMPLE_CAP = 4000;

export const emptyMoments = (): Moments => ({ n: 0, mean: 0, m2: 0 });

export function emptyTally(): ArmTally {
  return { requests: 0, errors: 0, thumbsUp: 0, thumbsDown: 0, quality: emptyMoments(), hallucination: { n: 0, count: 0 }, latency: emptyMoments(), cost: emptyMoments(), latencySample: [], units: 0 };
}

/** Welford update (in place): stable for long experiments with a large mean. */
export function addToMoments(m: Moments, x: number): void {
  m.n += 1;
  const delta = x - m.mean;
  m.mean += delta / m.n;
  m.m2 += delta * (x - m.mean);
}

/** Unbiased sample variance; NaN below two observations. */
export const momentsVariance = (m: Moments): number => (m.n > 1 ? m.m2 / (m.n - 1) : NaN);

export interface RequestSample {
  ok: boolean;
  latencyMs: number;
  costUsd: number;
  /** A new randomisation unit (first request of a user, or an anonymous request). */
  newUnit: boolean;
}

/**
 * Adds one completed request. Latency and cost count successful requests only (an error's
 * latency says nothing about the model). `random` is injected (reservoir sampling) so tests are
 * deterministic.
 */
export function addRequest(t: ArmTally, s: RequestSample, random: () => number): void {
  t.requests += 1;
  if (s.newUnit) t.units += 1;
  if (!s.ok) {
    t.errors += 1;
    return;
  }
  addToMoments(t.latency, s.latencyMs);
  addToMoments(t.cost, s.costUsd);
  const seen = t.latency.n;
  // Stored to 0.1 ms: ranks barely change, and the record saved every tick stays small.
  const kept = Math.round(s.latencyMs * 10) / 10;
  if (t.latencySample.length < LATENCY_SAMPLE_CAP) t.latencySample.push(kept);
  else {
    // Algorithm R: the k-th value replaces a random slot with probability cap/k.
    const slot = Math.floor(random() * seen);
    if (slot < LATENCY_SAMPLE_CAP) t.latencySample[slot] = kept;
  }
}

export function addFeedback(t: ArmTally, up: boolean): void {
  if (up) t.thumbsUp += 1;
  else t.thumbsDown += 1;
}

/** Takes back a rating counted earlier (a later rating of the same answer replaces it). */
export function removeFeedback(t: ArmTally, up: boolean): void {
  if (up) t.thumbsUp = Math.max(0, t.thumbsUp - 1);
  else t.thumbsDown = Math.max(0, t.thumbsDown - 1);
}

export function addJudgement(t: ArmTally, v: { quality?: number | undefined; hallucinated?: boolean | undefined }): void {
  if (v.quality !== undefined && Number.isFinite(v.quality)) addToMoments(t.quality, v.quality);
  if (v.hallucinated !== undefined) {
    t.hallucination.n += 1;
    if (v.hallucinated) t.hallucination.count += 1;
  }
}
