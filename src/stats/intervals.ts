import { normalQuantile } from './normal.js';

/**
 * Wilson score interval for a proportion (Wilson 1927): keeps its coverage near 0 and 1 where
 * the normal (Wald) interval collapses. `confidence` is two-sided, e.g. 0.95.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): [number, number] {
  if (n <= 0) return [0, 1];
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
