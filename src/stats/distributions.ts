import { betaInc, gammaP, gammaQ, logChoose } from './special.js';

/** Student t CDF with `df` degrees of freedom (df may be fractional, as in Welch's test). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * betaInc(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1 - tail : tail;
}

/** Chi-square CDF with k degrees of freedom. */
export function chiSquareCdf(x: number, k: number): number {
  return x <= 0 ? 0 : gammaP(k / 2, x / 2);
}

/** Chi-square upper tail P(X ≥ x), the p-value of a chi-square statistic. */
export function chiSquareSf(x: number, k: number): number {
  return x <= 0 ? 1 : gammaQ(k / 2, x / 2);
}

/** Binomial probability mass P(X = k), X ~ Bin(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n || !Number.isInteger(k)) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** Exact lower tail P(X ≤ k), X ~ Bin(n, p), via the incomplete beta identity. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const kk = Math.floor(k);
  return betaInc(n - kk, kk + 1, 1 - p);
}

/** Exact upper tail P(X ≥ k), X ~ Bin(n, p). */
export function binomialSf(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const kk = Math.ceil(k);
  return betaInc(kk, n - kk + 1, p);
}

/**
 * Exact binomial test p-value. `two-sided` sums every outcome no more likely than the observed
 * one (the same definition as scipy.stats.binomtest and R's binom.test).
 */
export function binomialTest(k: number, n: number, p: number, alternative: 'two-sided' | 'less' | 'greater' = 'two-sided'): number {
  if (alternative === 'less') return binomialCdf(k, n, p);
  if (alternative === 'greater') return binomialSf(k, n, p);
  const observed = binomialPmf(k, n, p);
  // Relative tolerance as in R, so outcomes equal in exact arithmetic are not lost to rounding.
  const limit = observed * (1 + 1e-7);
  let total = 0;
  for (let i = 0; i <= n; i++) {
    const pi = binomialPmf(i, n, p);
    if (pi <= limit) total += pi;
  }
  return Math.min(1, total);
}
