/**
 * Percentiles of an ascending-sorted sample, by LINEAR INTERPOLATION between closest ranks
 * (Hyndman & Fan type 7: the default of numpy.percentile, R's quantile and Excel PERCENTILE.INC).
 * `q` is a fraction in [0, 1]. Returns NaN for an empty sample.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (q <= 0) return sorted[0]!;
  if (q >= 1) return sorted[n - 1]!;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = sorted[lo]!;
  return frac === 0 ? a : a + frac * (sorted[lo + 1]! - a);
}

/**
 * Nearest-rank percentile (the smallest value with at least q·n of the sample at or below it).
 * Used by the gate's bootstrap because it is defined the same way on weighted resamples.
 */
export function percentileNearestRank(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * n - 1e-9));
  return sorted[Math.min(n, rank) - 1]!;
}

/** Sorts a copy ascending (numeric; NaN dropped). */
export function sortedCopy(values: Iterable<number>): Float64Array {
  const out = Float64Array.from([...values].filter((v) => !Number.isNaN(v)));
  return out.sort();
}
