import { chiSquareSf } from './distributions.js';

/**
 * Chi-square goodness-of-fit: observed counts against expected shares (or counts; normalised to
 * the observed total). df = k − 1. Used for sample-ratio-mismatch checks of traffic splits.
 */
export function chiSquareGoodnessOfFit(observed: ReadonlyArray<number>, expected: ReadonlyArray<number>): { statistic: number; df: number; pValue: number } {
  if (observed.length !== expected.length || observed.length < 2) throw new RangeError('observed and expected need the same length ≥ 2');
  const total = observed.reduce((s, x) => s + x, 0);
  const expTotal = expected.reduce((s, x) => s + x, 0);
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = (expected[i]! / expTotal) * total;
    if (e <= 0) {
      if (observed[i]! > 0) return { statistic: Infinity, df: observed.length - 1, pValue: 0 };
      continue;
    }
    statistic += (observed[i]! - e) ** 2 / e;
  }
  const df = observed.length - 1;
  return { statistic, df, pValue: chiSquareSf(statistic, df) };
}
