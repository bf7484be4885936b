import { studentTCdf } from './distributions.js';
import type { Alternative } from './proportions.js';

export interface SampleMoments {
  n: number;
  mean: number;
  /** Unbiased sample variance (n − 1 denominator). */
  variance: number;
}

export function moments(values: ArrayLike<number>): SampleMoments {
  const n = values.length;
  let mean = 0;
  let m2 = 0;
  // Welford: stable for large samples with a big mean.
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  return { n, mean, variance: n > 1 ? m2 / (n - 1) : NaN };
}

export interface WelchResult {
  /** mean2 − mean1. */
  diff: number;
  t: number;
  df: number;
  pValue: number;
}

/**
 * Welch's unequal-variance t-test of mean2 vs mean1 (Welch–Satterthwaite df), like
 * scipy.stats.ttest_ind(b, a, equal_var=False). `less`/`greater`: mean2 < mean1 / mean2 > mean1.
 */
export function welchTTest(a: SampleMoments | ArrayLike<number>, b: SampleMoments | ArrayLike<number>, alternative: Alternative = 'two-sided'): WelchResult {
  const s1 = 'variance' in a ? a : moments(a);
  const s2 = 'variance' in b ? b : moments(b);
  const v1 = s1.variance / s1.n;
  const v2 = s2.variance / s2.n;
  const diff = s2.mean - s1.mean;
  const se = Math.sqrt(v1 + v2);
  if (!(se > 0)) return { diff, t: NaN, df: NaN, pValue: diff === 0 ? 1 : 0 };
  const t = diff / se;
  const df = (v1 + v2) ** 2 / (v1 ** 2 / (s1.n - 1) + v2 ** 2 / (s2.n - 1));
  const pValue = alternative === 'less' ? studentTCdf(t, df) : alternative === 'greater' ? studentTCdf(-t, df) : Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
  return { diff, t, df, pValue };
}

/** One-sample t-test of mean vs mu0 (`less`: mean < mu0). */
export function oneSampleTTest(s: SampleMoments, mu0: number, alternative: Alternative = 'two-sided'): { t: number; df: number; pValue: number } {
  const se = Math.sqrt(s.variance / s.n);
  const df = s.n - 1;
  if (!(se > 0)) {
    const p = s.mean === mu0 ? 1 : alternative === 'two-sided' ? 0 : (alternative === 'less') === s.mean < mu0 ? 0 : 1;
    return { t: NaN, df, pValue: p };
  }
  const t = (s.mean - mu0) / se;
  const pValue = alternative === 'less' ? studentTCdf(t, df) : alternative === 'greater' ? studentTCdf(-t, df) : Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
  return { t, df, pValue };
}
