import type { WindowSnapshot } from './metric-source.js';
import type { CanaryPolicy } from './policy.js';
import { proportionDiffMarginTest, quantileExceedanceTest, relativeMeanMarginTest } from './tests.js';

export type CanaryMetric = 'error_rate' | 'quality' | 'p95_latency' | 'hallucination_rate';

/** Baseline and candidate over one sliding window, as read from a metric source. */
export interface WindowPair {
  windowMs: number;
  baseline: WindowSnapshot;
  candidate: WindowSnapshot;
  /** Candidate successes slower than the latency limit (1 + p95LatencyIncrease) × baseline P95. */
  candidateAboveLatencyLimit: number;
}

/**
 * One metric checked on one window, or by a sequential test (`threshold` set). `status`:
 * `breach` = observed past the limit AND the one-sided test significant, or the sequential
 * statistic at its threshold; `over` = observed past the limit, not yet significant; `ok`;
 * `insufficient` = too few samples to test. A breach is a rollback trigger, except the window
 * error-rate test's (a reading only: the sequential test decides on errors).
 */
export interface Evidence {
  metric: CanaryMetric;
  windowMs: number;
  status: 'breach' | 'over' | 'ok' | 'insufficient';
  baseline: number;
  candidate: number;
  /** The candidate value at which the trigger fires (given the baseline). */
  limit: number;
  nBaseline: number;
  nCandidate: number;
  test: string;
  statistic: number;
  pValue: number;
  /** Sequential tests: the statistic's rollback threshold; `windowMs` is then the stretch of evidence. */
  threshold?: number;
  /** Sequential tests: errors behind the two rates, and evaluations counted by the bound. */
  errorsBaseline?: number;
  errorsCandidate?: number;
  updates?: number;
}

export interface TriggerDecision {
  rollback: boolean;
  /** The first breach (most significant), when rolling back. */
  trigger: Evidence | undefined;
  evidence: Evidence[];
}

const NO_TEST = { statistic: NaN, pValue: NaN };

function judge(observedOver: boolean, enough: boolean, pValue: number, alpha: number): Evidence['status'] {
  if (!enough) return 'insufficient';
  if (!observedOver) return 'ok';
  return pValue < alpha ? 'breach' : 'over';
}

function rateEvidence(
  metric: 'error_rate' | 'hallucination_rate',
  w: WindowPair,
  xb: number, nb: number, xc: number, nc: number,
  margin: number, minN: number, alpha: number,
): Evidence {
  const pb = nb === 0 ? NaN : xb / nb;
  const pc = nc === 0 ? NaN : xc / nc;
  const enough = nb >= minN && nc >= minN;
  const t = enough ? proportionDiffMarginTest(xb, nb, xc, nc, margin, 'greater') : NO_TEST;
  return {
    metric, windowMs: w.windowMs, baseline: pb, candidate: pc, limit: pb + margin, nBaseline: nb, nCandidate: nc,
    status: judge(pc - pb > margin, enough, t.pValue, alpha),
    test: `one-sided score-type z, H0: candidate − baseline ≤ ${margin}`,
    ...t,
  };
}

/**
 * Metrics whose window breach is a rollback trigger. Error rate is left to the sequential test
 * (sequential-error-test.ts): it reacts faster and bounds its false alarms across evaluations,
 * which re-testing overlapping windows every few seconds cannot.
 */
const WINDOW_TRIGGERS: ReadonlySet<CanaryMetric> = new Set(['p95_latency', 'quality', 'hallucination_rate']);

/** Checks every metric on every window. Pure. */
export function evaluateTriggers(pairs: ReadonlyArray<WindowPair>, policy: CanaryPolicy): TriggerDecision {
  const evidence: Evidence[] = [];
  for (const w of pairs) {
    const { baseline: b, candidate: c } = w;
    evidence.push(rateEvidence('error_rate', w, b.errors, b.requests, c.errors, c.requests, policy.errorRateIncrease, policy.minRequests, policy.alpha));

    const bOk = b.requests - b.errors;
    const cOk = c.requests - c.errors;
    const limitMs = (1 + policy.p95LatencyIncrease) * b.p95Ms;
    const latEnough = bOk >= policy.minRequests && cOk >= policy.minRequests;
    const lt = latEnough ? quantileExceedanceTest(w.candidateAboveLatencyLimit, cOk, 0.95) : NO_TEST;
    evidence.push({
      metric: 'p95_latency', windowMs: w.windowMs, baseline: b.p95Ms, candidate: c.p95Ms, limit: limitMs, nBaseline: bOk, nCandidate: cOk,
      status: judge(c.p95Ms > limitMs, latEnough, lt.pValue, policy.alpha),
      test: `exact binomial, H0: P(candidate latency > ${1 + policy.p95LatencyIncrease}× baseline P95) ≤ 5%`,
      ...lt,
    });

    const qEnough = b.quality.n >= policy.minJudged && c.quality.n >= policy.minJudged;
    const qLimit = (1 - policy.qualityDrop) * b.quality.mean;
    const qt = qEnough ? relativeMeanMarginTest(b.quality, c.quality, policy.qualityDrop, 'less') : NO_TEST;
    evidence.push({
      metric: 'quality', windowMs: w.windowMs, baseline: b.quality.mean, candidate: c.quality.mean, limit: qLimit, nBaseline: b.quality.n, nCandidate: c.quality.n,
      status: judge(c.quality.mean < qLimit, qEnough, qt.pValue, policy.alpha),
      test: `one-sided z, H0: candidate mean ≥ ${1 - policy.qualityDrop}× baseline mean`,
      ...qt,
    });

    evidence.push(rateEvidence(
      'hallucination_rate', w, b.hallucination.count, b.hallucination.n, c.hallucination.count, c.hallucination.n,
      policy.hallucinationRateIncrease, policy.minJudged, policy.alpha,
    ));
  }
  const breaches = evidence.filter((e) => e.status === 'breach' && WINDOW_TRIGGERS.has(e.metric)).sort((x, y) => x.pValue - y.pValue);
  return { rollback: breaches.length > 0, trigger: breaches[0], evidence };
}

/**
 * Non-inferiority needed to leave a significance stage (≥ 50% by default), on the given window
 * (the longest): error rate H0 candidate − baseline ≥ δ rejected at advanceAlpha; and, when
 * enough responses were judged, quality H0 candidate ≤ (1 − r)·baseline rejected. Pure.
 */
export function nonInferiority(w: WindowPair, policy: CanaryPolicy): { passed: boolean; evidence: Evidence[] } {
  const { baseline: b, candidate: c } = w;
  const evidence: Evidence[] = [];
  const enough = b.requests >= policy.minRequests && c.requests >= policy.minRequests;
  const et = enough ? proportionDiffMarginTest(b.errors, b.requests, c.errors, c.requests, policy.errorRateIncrease, 'less') : NO_TEST;
  const pb = b.requests === 0 ? NaN : b.errors / b.requests;
  const pc = c.requests === 0 ? NaN : c.errors / c.requests;
  evidence.push({
    metric: 'error_rate', windowMs: w.windowMs, baseline: pb, candidate: pc, limit: pb + policy.errorRateIncrease,
    nBaseline: b.requests, nCandidate: c.requests,
    status: !enough ? 'insufficient' : et.pValue < policy.advanceAlpha ? 'ok' : 'over',
    test: `non-inferiority one-sided score-type z, H0: candidate − baseline ≥ ${policy.errorRateIncrease}`,
    ...et,
  });
  const judged = b.quality.n >= policy.minJudged && c.quality.n >= policy.minJudged;
  if (judged) {
    const qt = relativeMeanMarginTest(b.quality, c.quality, policy.qualityDrop, 'greater');
    evidence.push({
      metric: 'quality', windowMs: w.windowMs, baseline: b.quality.mean, candidate: c.quality.mean, limit: (1 - policy.qualityDrop) * b.quality.mean,
      nBaseline: b.quality.n, nCandidate: c.quality.n,
      status: qt.pValue < policy.advanceAlpha ? 'ok' : 'over',
      test: `non-inferiority one-sided z, H0: candidate mean ≤ ${1 - policy.qualityDrop}× baseline mean`,
      ...qt,
    });
  }
  return { passed: evidence.every((e) => e.status === 'ok'), evidence };
}
