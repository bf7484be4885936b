import { binomialCdf, binomialSf } from './distributions.js';

export interface McNemarResult {
  /** Discordant pairs that went from fail to pass (improvements). */
  improved: number;
  /** Discordant pairs that went from pass to fail (regressions). */
  regressed: number;
  /** Exact two-sided p-value (binomial on the discordant pairs, p = 1/2). */
  pValue: number;
  /** Exact one-sided p-value for "regressions are more likely than improvements". */
  pRegression: number;
}

/**
 * Exact McNemar test for paired pass/fail outcomes: only discordant pairs carry information;
 * under H0 each is an improvement or a regression with probability 1/2 (statsmodels
 * `mcnemar(exact=True)`). Zero discordant pairs → p = 1.
 */
export function mcnemarExact(improved: number, regressed: number): McNemarResult {
  const n = improved + regressed;
  if (n === 0) return { improved, regressed, pValue: 1, pRegression: 1 };
  const pValue = Math.min(1, 2 * binomialCdf(Math.min(improved, regressed), n, 0.5));
  return { improved, regressed, pValue, pRegression: binomialSf(regressed, n, 0.5) };
}
