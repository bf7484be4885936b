import { normalSf } from './normal.js';
import type { Alternative } from './proportions.js';

export interface MannWhitneyResult {
  /** U of the first sample (scipy's `statistic`). */
  u: number;
  z: number;
  pValue: number;
}

/**
 * Mann–Whitney U test, normal approximation with tie correction and continuity correction
 * (scipy.stats.mannwhitneyu(x, y, method='asymptotic')). `greater`: x tends to be larger than y.
 */
export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>, alternative: Alternative = 'two-sided'): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  if (n1 === 0 || n2 === 0) return { u: NaN, z: NaN, pValue: NaN };
  const all = new Float64Array(n);
  for (let i = 0; i < n1; i++) all[i] = x[i]!;
  for (let i = 0; i < n2; i++) all[n1 + i] = y[i]!;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => all[a]! - all[b]!);
  // Mid-ranks for ties, and Σ(t³ − t) for the variance correction.
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[order[j + 1]!] === all[order[i]!]) j++;
    const midRank = (i + j + 2) / 2;
    const t = j - i + 1;
    if (t > 1) tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (order[k]! < n1) rankSumX += midRank;
    i = j + 1;
  }
  const u1 = rankSumX - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (!(sigma > 0)) return { u: u1, z: 0, pValue: 1 };
  const u = alternative === 'two-sided' ? Math.max(u1, u2) : alternative === 'greater' ? u1 : u2;
  const z = (u - mu - 0.5) / sigma;
  const p = normalSf(z);
  return { u: u1, z: alternative === 'less' ? -z : z, pValue: Math.min(1, alternative === 'two-sided' ? 2 * p : p) };
}
