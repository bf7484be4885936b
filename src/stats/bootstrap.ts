import type { Rng } from './prng.js';

/** Percentile interval of bootstrap replicates (sorts `replicates` in place). */
export function percentileInterval(replicates: Float64Array, confidence = 0.95): [number, number] {
  replicates.sort();
  const n = replicates.length;
  const alpha = (1 - confidence) / 2;
  // Nearest-rank on each side so the interval is the same on every platform.
  const lo = replicates[Math.max(0, Math.ceil(alpha * n) - 1)]!;
  const hi = replicates[Math.min(n - 1, Math.ceil((1 - alpha) * n) - 1)]!;
  return [lo, hi];
}

export interface BootstrapResult {
  estimate: number;
  interval: [number, number];
  /** Replicates, sorted ascending. */
  replicates: Float64Array;
}

/**
 * Paired bootstrap of mean(y − x): resamples pair indices with replacement, so the correlation
 * between the two runs on the same case is kept. No allocation inside the resample loop.
 */
export function bootstrapPairedMeanDiff(x: ArrayLike<number>, y: ArrayLike<number>, opts: { resamples: number; rng: Rng; confidence?: number }): BootstrapResult {
  const n = x.length;
  if (y.length !== n || n === 0) throw new RangeError('paired samples need the same non-zero length');
  const d = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += (d[i] = y[i]! - x[i]!);
  return resampleMeans(d, total / n, opts);
}

/** Bootstrap of a single sample's mean. */
export function bootstrapMean(x: ArrayLike<number>, opts: { resamples: number; rng: Rng; confidence?: number }): BootstrapResult {
  const d = Float64Array.from(x as ArrayLike<number>);
  if (d.length === 0) throw new RangeError('empty sample');
  let total = 0;
  for (let i = 0; i < d.length; i++) total += d[i]!;
  return resampleMeans(d, total / d.length, opts);
}

function resampleMeans(d: Float64Array, estimate: number, opts: { resamples: number; rng: Rng; confidence?: number }): BootstrapResult {
  const n = d.length;
  const reps = new Float64Array(opts.resamples);
  for (let r = 0; r < opts.resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[opts.rng.int(n)]!;
    reps[r] = s / n;
  }
  const interval = percentileInterval(reps, opts.confidence ?? 0.95);
  return { estimate, interval, replicates: reps };
}
