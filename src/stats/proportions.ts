import { normalCdf, normalSf } from './normal.js';
import { logChoose } from './special.js';

export type Alternative = 'two-sided' | 'less' | 'greater';

export interface ZTestResult {
  /** p2 − p1, the observed difference (group 2 minus group 1). */
  diff: number;
  z: number;
  pValue: number;
}

/**
 * Two-proportion z-test with the pooled standard error. `less`/`greater` test p2 < p1 / p2 > p1.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number, alternative: Alternative = 'two-sided'): ZTestResult {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const diff = p2 - p1;
  if (se === 0) return { diff, z: 0, pValue: 1 };
  const z = diff / se;
  const pValue = alternative === 'less' ? normalCdf(z) : alternative === 'greater' ? normalSf(z) : Math.min(1, 2 * normalSf(Math.abs(z)));
  return { diff, z, pValue };
}

/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]] (rows: groups; columns: success, failure).
 * Two-sided p sums tables no more likely than the observed one (scipy.stats.fisher_exact);
 * `less` / `greater` are about the odds ratio (a·d)/(b·c), as in scipy.
 */
export function fisherExact(a: number, b: number, c: number, d: number, alternative: Alternative = 'two-sided'): { oddsRatio: number; pValue: number } {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  const lo = Math.max(0, col1 - (n - row1));
  const hi = Math.min(row1, col1);
  const logDenom = logChoose(n, col1);
  const prob = (x: number) => Math.exp(logChoose(row1, x) + logChoose(n - row1, col1 - x) - logDenom);
  const observed = prob(a);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const px = prob(x);
    if (alternative === 'less' ? x <= a : alternative === 'greater' ? x >= a : px <= observed * (1 + 1e-7)) p += px;
  }
  const oddsRatio = b * c === 0 ? (a * d === 0 ? NaN : Infinity) : (a * d) / (b * c);
  return { oddsRatio, pValue: Math.min(1, p) };
}
