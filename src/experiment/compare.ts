import { fisherExact, mannWhitneyU, normalQuantile, twoProportionZTest, welchTTest } from '../stats/index.js';
import { momentsVariance } from './tally.js';
import type { ArmTally, ExperimentMetric } from './types.js';

export type Direction = 'higher' | 'lower';

/** Which way is better, and whether the metric is a rate (0/1 per observation) or a mean. */
export const METRIC_INFO: Record<ExperimentMetric, { kind: 'rate' | 'mean'; better: Direction; label: string }> = {
  thumbs_up: { kind: 'rate', better: 'higher', label: 'thumbs-up rate' },
  task_success: { kind: 'rate', better: 'higher', label: 'task success (answered without error)' },
  error_rate: { kind: 'rate', better: 'lower', label: 'error rate' },
  hallucination: { kind: 'rate', better: 'lower', label: 'hallucination rate' },
  quality: { kind: 'mean', better: 'higher', label: 'judge quality' },
  latency: { kind: 'mean', better: 'lower', label: 'latency (ms)' },
  cost: { kind: 'mean', better: 'lower', label: 'cost per request (USD)' },
};

export interface ArmEstimate {
  n: number;
  /** Rate or mean. */
  value: number;
  /** Successes, for rates. */
  x?: number;
  /** Variance of one observation (p(1−p) for rates). */
  unitVariance: number;
}

export function estimate(t: ArmTally, metric: ExperimentMetric): ArmEstimate {
  const rate = (x: number, n: number): ArmEstimate => {
    const p = n > 0 ? x / n : NaN;
    return { n, x, value: p, unitVariance: p * (1 - p) };
  };
  switch (metric) {
    case 'thumbs_up': return rate(t.thumbsUp, t.thumbsUp + t.thumbsDown);
    case 'task_success': return rate(t.requests - t.errors, t.requests);
    case 'error_rate': return rate(t.errors, t.requests);
    case 'hallucination': return rate(t.hallucination.count, t.hallucination.n);
    case 'quality': return { n: t.quality.n, value: t.quality.n > 0 ? t.quality.mean : NaN, unitVariance: momentsVariance(t.quality) };
    case 'latency': return { n: t.latency.n, value: t.latency.n > 0 ? t.latency.mean : NaN, unitVariance: momentsVariance(t.latency) };
    case 'cost': return { n: t.cost.n, value: t.cost.n > 0 ? t.cost.mean : NaN, unitVariance: momentsVariance(t.cost) };
  }
}

export interface Comparison {
  metric: ExperimentMetric;
  better: Direction;
  a: ArmEstimate;
  b: ArmEstimate;
  /** B − A. */
  diff: number;
  /** Variance of `diff` (unpooled): σ²_A/n_A + σ²_B/n_B. */
  diffVariance: number;
  /** Two-sided (1 − alpha) normal interval for B − A. */
  ci: [number, number];
  /** (B − A) / A and its interval (A's own uncertainty ignored: fine at the sample sizes we conclude on). */
  lift: number | null;
  liftCi: [number, number] | null;
  /** Fixed-horizon test, reported for transparency; decisions use the sequential p-value. */
  test: 'z-test' | 'fisher-exact' | 'welch-t' | 'mann-whitney' | 'none';
  pValue: number;
}

/**
 * Fixed-horizon comparison of B against A on one metric: the two-proportion z-test for rates, or
 * Fisher's exact test when an expected cell of the 2×2 table is below 5 (the z approximation is
 * poor there); Welch's t for means, Mann–Whitney for latency (skewed, heavy-tailed).
 */
export function compareArms(a: ArmTally, b: ArmTally, metric: ExperimentMetric, alpha: number): Comparison {
  const info = METRIC_INFO[metric];
  const ea = estimate(a, metric);
  const eb = estimate(b, metric);
  const diff = eb.value - ea.value;
  const diffVariance = ea.unitVariance / ea.n + eb.unitVariance / eb.n;
  const z = normalQuantile(1 - alpha / 2);
  const half = z * Math.sqrt(diffVariance);
  const ci: [number, number] = [diff - half, diff + half];
  const lift = ea.value !== 0 && Number.isFinite(ea.value) && Number.isFinite(diff) ? diff / Math.abs(ea.value) : null;
  const liftCi: [number, number] | null = lift === null ? null : [ci[0] / Math.abs(ea.value), ci[1] / Math.abs(ea.value)];
  const base = { metric, better: info.better, a: ea, b: eb, diff, diffVariance, ci, lift, liftCi };
  if (ea.n < 2 || eb.n < 2) return { ...base, test: 'none', pValue: NaN };
  if (info.kind === 'rate') {
    const xa = ea.x ?? 0;
    const xb = eb.x ?? 0;
    const n = ea.n + eb.n;
    const successShare = (xa + xb) / n;
    const minExpected = Math.min(ea.n, eb.n) * Math.min(successShare, 1 - successShare);
    if (minExpected < 5) return { ...base, test: 'fisher-exact', pValue: fisherExact(xa, ea.n - xa, xb, eb.n - xb).pValue };
    return { ...base, test: 'z-test', pValue: twoProportionZTest(xa, ea.n, xb, eb.n).pValue };
  }
  if (metric === 'latency' && a.latencySample.length >= 2 && b.latencySample.length >= 2) {
    return { ...base, test: 'mann-whitney', pValue: mannWhitneyU(a.latencySample, b.latencySample).pValue };
  }
  const welch = welchTTest({ n: ea.n, mean: ea.value, variance: ea.unitVariance }, { n: eb.n, mean: eb.value, variance: eb.unitVariance });
  return { ...base, test: 'welch-t', pValue: welch.pValue };
}
