import { binomialCdf, binomialSf } from '../stats/distributions.js';
import { wilsonInterval } from '../stats/intervals.js';
import { bernoulliLogLikelihoodRatio, logMixture, shiryaevRobertsLogThreshold, shiryaevRobertsStep } from '../stats/shiryaev-roberts.js';
import type { CanaryPolicy } from './policy.js';
import type { Evidence, WindowPair } from './triggers.js';

/**
 * The error-rate rollback trigger: a Shiryaev–Roberts sequential likelihood-ratio test of the
 * candidate's errors, fed at every evaluation with the requests the candidate served since the
 * previous one. Evidence accumulates across evaluations instead of being re-tested on fixed
 * windows, and its false-alarm bound holds however often it is looked at, so it needs neither
 * `minRequests` nor `confirmations`.
 *
 * Per request, H0: error probability ≤ limit = p0 + errorRateIncrease, p0 the baseline's rate —
 * a candidate inside the margin is not a regression, so the null sits on the margin, not on the
 * baseline. H1 is a mixture of alternatives p1 = limit × {1.5, 2, 3, 5} (capped at 0.99), one
 * statistic each, averaged (stats/shiryaev-roberts.ts `logMixture`): it adapts to the size of
 * the degradation for ln 4 of evidence. It rolls back when log R ≥ log A, A = H / alpha,
 * H = sequentialHorizonMs / intervalMs evaluations. Bound: for a candidate whose error
 * probability stays at or below the limit of each evaluation,
 *   P(a false rollback within T evaluations) ≤ T / A,   so ≤ alpha over the horizon,
 * and the mean time to a false rollback is at least A evaluations. p0 is read from the
 * baseline, estimated upwards (see `baselineErrorRate`).
 *
 * The state lives in CanaryState, so it is saved with the canary and a restarted gateway keeps
 * the evidence; it is not reset between stages (the candidate and the hypotheses stay the same).
 */
export interface SequentialErrorState {
  /** log R of the mixture; null while R = 0 (no candidate request seen yet). */
  logR: number | null;
  /** log R per alternative of ALTERNATIVES (null = 0). */
  components: Array<number | null>;
  /** Evaluations that brought candidate requests: the T of the bound. */
  updates: number;
  /** End of the last interval read; the next evaluation reads (readToMs, now]. */
  readToMs: number;
  /** Candidate traffic behind the current evidence: everything since R last fell below 1. */
  stretch: { sinceMs: number; requests: number; errors: number };
}

export function newSequentialErrorState(nowMs: number): SequentialErrorState {
  return { logR: null, components: ALTERNATIVES.map(() => null), updates: 0, readToMs: nowMs, stretch: { sinceMs: nowMs, requests: 0, errors: 0 } };
}

/** The rate p0 the candidate is tested against, with the counts it came from. */
export interface BaselineErrorRate {
  rate: number;
  requests: number;
  errors: number;
  windowMs: number;
  /**
   * Set when the baseline's own errors in the evaluated interval were far above the windows'
   * rate (a surge that hits the baseline too, such as a shared upstream outage): p0 is then the
   * upper confidence bound of that interval's rate, and the counts are the interval's.
   */
  surge?: true;
}

/** Requests and errors of one variant over the interval an evaluation reads. */
export interface IntervalCounts {
  requests: number;
  errors: number;
}

/**
 * How unlikely the baseline's interval must be under the windows' rate to count as a surge:
 * rare enough that a steady baseline raises p0 in about one evaluation in a thousand (which
 * only slows detection for that interval), common enough that an outage is caught in the
 * interval it starts.
 */
const SURGE_P_VALUE = 0.001;
/** Two-sided Wilson confidence whose upper end is p0 during a surge (99% one-sided). */
const SURGE_CONFIDENCE = 0.98;

/**
 * p0: the highest (x + 1)/(n + 2) over the windows, raised to the baseline's own rate in the
 * interval when that interval is a surge. Every choice leans high on purpose, since an
 * underestimated p0 is what could break the bound:
 * - the +1/+2 keeps p0 off zero on an error-free baseline;
 * - the short window lets an incident that hits both variants raise p0 within seconds; once
 *   it is over, a longer window still holding it (its rate far above the short window's) is
 *   left out, or the surge would hide a candidate regression for as long as it stays in view;
 * - `interval` (the baseline's requests and errors over the same interval as the candidate's)
 *   covers the first seconds of such an incident, before any window has moved: without it a
 *   shared upstream outage, both variants failing alike, read as the candidate failing against
 *   a 1% baseline and rolled the canary back within one or two evaluations. The interval counts
 *   as a surge while it stands out against the windows' rate, or while the short window stands
 *   out against the longest (a lasting surge the short window has caught up with); p0 is then
 *   the interval's upper bound, since the short window still lags the baseline's level.
 */
export function baselineErrorRate(
  pairs: ReadonlyArray<Pick<WindowPair, 'windowMs'> & { baseline: IntervalCounts }>,
  interval?: IntervalCounts & { windowMs: number },
): BaselineErrorRate {
  const shortest = extremeWindow(pairs, 'shortest');
  let best: BaselineErrorRate = { rate: 0.5, requests: 0, errors: 0, windowMs: 0 };
  let first = true;
  for (const w of pairs) {
    const rate = smoothedRate(w.baseline);
    if (w !== shortest && shortest && shortest.baseline.requests > 0 && binomialCdf(shortest.baseline.errors, shortest.baseline.requests, rate) < SURGE_P_VALUE) continue;
    if (first || rate > best.rate) best = { rate, requests: w.baseline.requests, errors: w.baseline.errors, windowMs: w.windowMs };
    first = false;
  }
  if (interval && interval.requests > 0 && (binomialSf(interval.errors, interval.requests, best.rate) < SURGE_P_VALUE || surgingWindow(pairs, shortest))) {
    const upper = wilsonInterval(interval.errors, interval.requests, SURGE_CONFIDENCE)[1];
    if (upper > best.rate) return { rate: upper, requests: interval.requests, errors: interval.errors, windowMs: interval.windowMs, surge: true };
  }
  return best;
}

/**
 * The short window far above the longest: a surge that has lasted long enough for the short
 * window to follow it, so that the interval alone no longer stands out against it.
 */
function surgingWindow(pairs: ReadonlyArray<{ windowMs: number; baseline: IntervalCounts }>, shortest: { windowMs: number; baseline: IntervalCounts } | undefined): boolean {
  const longest = extremeWindow(pairs, 'longest');
  if (!shortest || !longest || longest === shortest) return false;
  return binomialSf(shortest.baseline.errors, shortest.baseline.requests, smoothedRate(longest.baseline)) < SURGE_P_VALUE;
}

/** The shortest or longest of the windows (the policy does not order them); undefined for none. */
export function extremeWindow<T extends { windowMs: number }>(pairs: ReadonlyArray<T>, which: 'shortest' | 'longest'): T | undefined {
  let best: T | undefined;
  for (const w of pairs) if (best === undefined || (which === 'shortest' ? w.windowMs < best.windowMs : w.windowMs > best.windowMs)) best = w;
  return best;
}

function smoothedRate(c: IntervalCounts): number {
  return (c.errors + 1) / (c.requests + 2);
}

/** A margin of 0 would test the baseline itself; 0.1 point is the smallest used. */
const MIN_MARGIN = 0.001;

/** The alternatives of the mixture, as multiples of the limit. */
const ALTERNATIVES = [1.5, 2, 3, 5] as const;
const MAX_P1 = 0.99;

/** The alternatives' error probabilities for a limit; empty when the limit leaves no room above it. */
function alternativesFor(limit: number): number[] {
  return limit >= MAX_P1 ? [] : ALTERNATIVES.map((m) => Math.min(MAX_P1, limit * m));
}

export function sequentialLogThreshold(policy: CanaryPolicy): number {
  return shiryaevRobertsLogThreshold(Math.max(1, policy.sequentialHorizonMs / policy.intervalMs), policy.alpha);
}

export interface SequentialErrorUpdate {
  state: SequentialErrorState;
  evidence: Evidence;
}

/**
 * One evaluation: `candidate` holds the requests and errors of (state.readToMs, nowMs]. Pure.
 * An evaluation without candidate requests carries no evidence and is not counted.
 */
export function updateSequentialErrorTest(
  state: SequentialErrorState,
  input: { nowMs: number; candidate: { requests: number; errors: number }; baseline: BaselineErrorRate },
  policy: CanaryPolicy,
): SequentialErrorUpdate {
  const margin = Math.max(policy.errorRateIncrease, MIN_MARGIN);
  const limit = input.baseline.rate + margin;
  const p1s = alternativesFor(limit);
  const { requests, errors } = input.candidate;
  let next: SequentialErrorState = { ...state, readToMs: Math.max(state.readToMs, input.nowMs) };
  if (requests > 0 && p1s.length > 0) {
    const components = p1s.map((p1, i) => shiryaevRobertsStep(state.components?.[i] ?? null, bernoulliLogLikelihoodRatio(errors, requests, limit, p1)));
    const logR = logMixture(components);
    // Below R = 1 no change point is supported any more: the next stretch starts afresh.
    const stretch = logR < 0
      ? { sinceMs: input.nowMs, requests: 0, errors: 0 }
      : { sinceMs: state.stretch.sinceMs, requests: state.stretch.requests + requests, errors: state.stretch.errors + errors };
    next = { ...next, logR, components, updates: state.updates + 1, stretch };
  }
  return { state: next, evidence: sequentialEvidence(next, input.nowMs, input.baseline, p1s, margin, policy) };
}

function sequentialEvidence(s: SequentialErrorState, nowMs: number, b: BaselineErrorRate, p1s: number[], margin: number, policy: CanaryPolicy): Evidence {
  const logA = sequentialLogThreshold(policy);
  const logR = s.logR ?? -Infinity;
  const p0 = b.rate;
  const limit = p0 + margin;
  const status: Evidence['status'] = s.updates === 0 || p1s.length === 0 ? 'insufficient' : logR >= logA ? 'breach' : 'ok';
  const hours = policy.sequentialHorizonMs / 3_600_000;
  return {
    metric: 'error_rate',
    windowMs: Math.max(0, nowMs - s.stretch.sinceMs),
    status,
    baseline: p0,
    candidate: s.stretch.requests === 0 ? NaN : s.stretch.errors / s.stretch.requests,
    limit,
    nBaseline: b.requests,
    nCandidate: s.stretch.requests,
    test: `Shiryaev–Roberts sequential likelihood ratio on candidate errors, H0: p ≤ ${fmtP(limit)} (baseline ${fmtP(p0)}${b.surge ? ` (upper bound: the baseline surged, ${b.errors}/${b.requests} errors in the interval)` : ''} + ${margin}), ` +
      `H1: p ∈ {${p1s.map(fmtP).join(', ')}} (mixture); P(false rollback within ${+hours.toFixed(2)} h) ≤ ${policy.alpha}`,
    statistic: logR,
    threshold: logA,
    // P(R reaches its current value within `updates` evaluations | H0) ≤ updates / R.
    pValue: s.updates === 0 ? NaN : Math.min(1, Math.exp(Math.log(s.updates) - logR)),
    errorsBaseline: b.errors,
    errorsCandidate: s.stretch.errors,
    updates: s.updates,
  };
}

function fmtP(p: number): string {
  return Number.isFinite(p) ? p.toPrecision(3) : 'n/a';
}
