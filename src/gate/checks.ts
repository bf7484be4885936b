import { binomialCdf, binomialSf } from '../stats/distributions.js';
import { wilsonInterval } from '../stats/intervals.js';
import { normalQuantile } from '../stats/normal.js';
import { percentileNearestRank } from '../stats/percentile.js';
import { percentileInterval } from '../stats/bootstrap.js';
import { moments, oneSampleTTest } from '../stats/t-test.js';
import type { MetricDef } from './metrics.js';

/** A candidate-only measurement: point estimate, interval, and one-sided p-values vs a threshold. */
export interface AbsoluteEvidence {
  value: number;
  n: number;
  ci: [number, number] | undefined;
  /** Evidence that the metric is on the wrong side of the threshold (small → fail). */
  pFail: number;
  /** Evidence that it is on the right side (small → pass). */
  pPass: number;
}

function present(values: Float64Array): Float64Array {
  return values.filter((v) => !Number.isNaN(v));
}

/** Point estimate and interval of one run's metric (no threshold). */
export function measure(def: MetricDef, values: Float64Array, confidence: number): { value: number; n: number; ci: [number, number] | undefined } {
  const x = present(values);
  const n = x.length;
  if (n === 0) return { value: NaN, n, ci: undefined };
  if (def.kind === 'quantile') {
    const sorted = x.sort();
    const q = def.q!;
    // Distribution-free order-statistic interval: ranks n·q ± z·√(n·q·(1−q)).
    const z = normalQuantile(1 - (1 - confidence) / 2);
    const half = z * Math.sqrt(n * q * (1 - q));
    const lo = sorted[Math.max(0, Math.floor(n * q - half) - 1)]!;
    const hi = sorted[Math.min(n - 1, Math.ceil(n * q + half) - 1)]!;
    return { value: percentileNearestRank(sorted, q), n, ci: [lo, hi] };
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const value = sum / n;
  if (def.binary) return { value, n, ci: wilsonInterval(Math.round(sum), n, confidence) };
  const m = moments(x);
  const half = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(m.variance / n);
  return { value, n, ci: n > 1 ? [value - half, value + half] : undefined };
}

/**
 * Tests one run's metric against an absolute threshold. Rates: exact binomial at the threshold.
 * Means (judge score, cost): one-sample t. Percentiles: the count of cases beyond the threshold
 * is Binomial(n, 1 − q) when the true q-quantile sits exactly at it, so the test is exact too.
 */
export function absoluteEvidence(def: MetricDef, values: Float64Array, bound: 'min' | 'max', threshold: number, confidence: number): AbsoluteEvidence {
  const m = measure(def, values, confidence);
  const x = present(values);
  const n = x.length;
  if (n === 0) return { ...m, pFail: 1, pPass: 1 };
  if (def.kind === 'quantile') {
    let beyond = 0;
    for (let i = 0; i < n; i++) if (bound === 'max' ? x[i]! > threshold : x[i]! < threshold) beyond++;
    const tail = bound === 'max' ? 1 - def.q! : def.q!;
    return { ...m, pFail: binomialSf(beyond, n, tail), pPass: binomialCdf(beyond, n, tail) };
  }
  if (def.binary) {
    let k = 0;
    for (let i = 0; i < n; i++) k += x[i]!;
    k = Math.round(k);
    const low = binomialCdf(k, n, threshold);
    const high = binomialSf(k, n, threshold);
    return bound === 'min' ? { ...m, pFail: low, pPass: high } : { ...m, pFail: high, pPass: low };
  }
  const s = moments(x);
  const less = oneSampleTTest(s, threshold, 'less').pValue;
  const greater = oneSampleTTest(s, threshold, 'greater').pValue;
  return bound === 'min' ? { ...m, pFail: less, pPass: greater } : { ...m, pFail: greater, pPass: less };
}

export interface ComparisonEvidence {
  ci: [number, number];
  /** Lower confidence bound of the signed improvement g (g > 0 = candidate better). */
  gLower: number;
  /** Bootstrap p-value of "g ≥ −margin" (small → evidence of a regression beyond the margin). */
  pFail: number;
}

/**
 * Non-inferiority evidence from bootstrap replicates of candidate − baseline. `sign` is +1 when
 * higher is better. Replicates that could not be computed (NaN) count as no evidence of a regression.
 */
export function comparisonEvidence(replicates: Float64Array, sign: 1 | -1, margin: number, confidence: number): ComparisonEvidence {
  let notWorse = 0;
  let valid = 0;
  for (let r = 0; r < replicates.length; r++) {
    const d = replicates[r]!;
    if (Number.isNaN(d)) { notWorse++; continue; }
    valid++;
    if (sign * d >= -margin) notWorse++;
  }
  const finite = replicates.filter((d) => !Number.isNaN(d));
  const ci: [number, number] = valid > 0 ? percentileInterval(finite, confidence) : [NaN, NaN];
  const gLower = sign > 0 ? ci[0] : -ci[1];
  return { ci, gLower, pFail: (notWorse + 1) / (replicates.length + 1) };
}

/**
 * A lower bound for the paired change of a rate that stays honest when flips are rare: the
 * bootstrap cannot resample a flip it never saw (zero flips → a zero-width interval), so take
 * the Wilson lower bound of the good flips minus the Wilson upper bound of the bad flips.
 */
export function rareFlipLowerBound(goodFlips: number, badFlips: number, n: number, confidence: number): number {
  // A two-sided interval at `confidence` puts (1 − confidence)/2 in each tail: one-sided bounds.
  const good = wilsonInterval(goodFlips, n, confidence)[0];
  const bad = wilsonInterval(badFlips, n, confidence)[1];
  return good - bad;
}
