import { binomialSf, normalCdf, normalSf } from '../stats/index.js';

/**
 * The three one-sided tests canary decisions use. Pure; each returns the statistic and p-value.
 */

export interface TestResult {
  statistic: number;
  pValue: number;
}

/**
 * Difference of two proportions against a margin δ:
 *   alternative 'greater': H0 p2 − p1 ≤ δ  vs  H1 p2 − p1 > δ   (the candidate is worse by more than δ)
 *   alternative 'less':    H0 p2 − p1 ≥ δ  vs  H1 p2 − p1 < δ   (non-inferiority within δ)
 * z = (p̂2 − p̂1 − δ) / SE with the Agresti–Caffo standard error (one success and one failure
 * added to each group), which stays positive when a group has 0% or 100% and keeps the test
 * sane on small counts.
 */
export function proportionDiffMarginTest(x1: number, n1: number, x2: number, n2: number, margin: number, alternative: 'greater' | 'less'): TestResult {
  const a1 = (x1 + 1) / (n1 + 2);
  const a2 = (x2 + 1) / (n2 + 2);
  const se = Math.sqrt((a1 * (1 - a1)) / (n1 + 2) + (a2 * (1 - a2)) / (n2 + 2));
  const z = (x2 / n2 - x1 / n1 - margin) / se;
  return { statistic: z, pValue: alternative === 'greater' ? normalSf(z) : normalCdf(z) };
}

/**
 * Ratio of two means against a relative margin r, by a large-sample z-test on
 * D = mean2 − (1 − r)·mean1 with SE² = s2²/n2 + (1 − r)²·s1²/n1:
 *   'less':    H0 mean2 ≥ (1 − r)·mean1  vs  H1 mean2 < (1 − r)·mean1   (dropped by more than r)
 *   'greater': H0 mean2 ≤ (1 − r)·mean1  vs  H1 mean2 > (1 − r)·mean1   (non-inferior within r)
 * With zero variance in both groups the sign of D decides (p = 0 or 1).
 */
export function relativeMeanMarginTest(
  g1: { n: number; mean: number; variance: number },
  g2: { n: number; mean: number; variance: number },
  relMargin: number,
  alternative: 'less' | 'greater',
): TestResult {
  const k = 1 - relMargin;
  const d = g2.mean - k * g1.mean;
  const se = Math.sqrt(g2.variance / g2.n + (k * k * g1.variance) / g1.n);
  if (se === 0) {
    const holds = alternative === 'less' ? d < 0 : d > 0;
    return { statistic: holds ? (alternative === 'less' ? -Infinity : Infinity) : 0, pValue: holds ? 0 : 1 };
  }
  const z = d / se;
  return { statistic: z, pValue: alternative === 'less' ? normalCdf(z) : normalSf(z) };
}

/**
 * Is the q-quantile of a sample above `limit`? With X of n observations above the limit,
 * H0: P(value > limit) ≤ 1 − q (the q-quantile is at most `limit`) vs H1: more than that.
 * Exact binomial upper tail: p = P(Bin(n, 1 − q) ≥ X).
 */
export function quantileExceedanceTest(above: number, n: number, q: number): TestResult {
  return { statistic: above, pValue: binomialSf(above, n, 1 - q) };
}
