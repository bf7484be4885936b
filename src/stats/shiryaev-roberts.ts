/**
 * Sequential change detection on Bernoulli outcomes (errors among requests) with the
 * Shiryaev–Roberts statistic, for monitoring that looks at the data after every batch.
 *
 * Each batch b brings n_b trials and x_b events; its likelihood ratio of "event probability p1"
 * against "p0" is Λ_b = (p1/p0)^x_b · ((1 − p1)/(1 − p0))^(n_b − x_b). The statistic is
 *   R_0 = 0,   R_b = (1 + R_{b−1}) · Λ_b   (= Σ_k Π_{j=k..b} Λ_j: one likelihood ratio per
 *                                            possible change point k, summed)
 * and the monitor alarms at the first b with R_b ≥ A.
 *
 * False-alarm bound, by construction: while the true probability of each trial is ≤ the p0 used
 * for its batch (and p1 > p0), E[Λ_b | past] ≤ 1 (the likelihood ratio is monotone in p), so R_b − b is a supermartingale. Then
 *   - for any horizon of T batches, R_b + (T − b) is a nonnegative supermartingale starting at
 *     T, and Ville's inequality gives  P(alarm within T batches) ≤ T / A;
 *   - the mean number of batches before a false alarm is ≥ A (Pollak 1985).
 * p0 may change from batch to batch (it is read before the batch's events are looked at).
 *
 * State is kept as log R (R spans hundreds of orders of magnitude); `null` stands for R = 0.
 */

/** log Λ of one batch: x events in n trials, p1 against p0. Exact, no approximation. */
export function bernoulliLogLikelihoodRatio(x: number, n: number, p0: number, p1: number): number {
  if (n === 0) return 0;
  return x * Math.log(p1 / p0) + (n - x) * (Math.log1p(-p1) - Math.log1p(-p0));
}

/** log(1 + e^v) without overflow; log(1 + R) from log R. */
function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** log R_b from log R_{b−1} (null = 0) and log Λ_b. */
export function shiryaevRobertsStep(logR: number | null, logLambda: number): number {
  return (logR === null ? 0 : softplus(logR)) + logLambda;
}

/**
 * log A for a false-alarm probability of at most `alpha` within `horizonBatches` batches
 * (A = horizon / alpha, from P(alarm within T) ≤ T / A).
 */
export function shiryaevRobertsLogThreshold(horizonBatches: number, alpha: number): number {
  return Math.log(horizonBatches) - Math.log(alpha);
}

/**
 * log of a weighted mixture Σ w_i·R_i of statistics kept as log R_i (null = 0), with equal
 * weights 1/K. A mixture of Shiryaev–Roberts statistics over several alternatives keeps the
 * bound (each R_i − b is a supermartingale under H0, so their average is too) and adapts to
 * whichever alternative is nearest the truth, for the price of ln K.
 */
export function logMixture(logRs: ReadonlyArray<number | null>): number {
  let max = -Infinity;
  for (const v of logRs) if (v !== null && v > max) max = v;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const v of logRs) if (v !== null) sum += Math.exp(v - max);
  return max + Math.log(sum) - Math.log(logRs.length);
}
