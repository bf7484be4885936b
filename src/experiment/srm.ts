import { chiSquareGoodnessOfFit } from '../stats/index.js';

/** Below this p-value the observed split is treated as broken assignment (common industry threshold). */
export const SRM_ALPHA = 0.001;

export interface SrmCheck {
  observed: [number, number];
  /** Expected shares of A and B (sum 1). */
  expected: [number, number];
  statistic: number;
  pValue: number;
  flagged: boolean;
}

/**
 * Sample-ratio mismatch: are the randomisation units per arm consistent with the declared
 * split? A chi-square goodness-of-fit (df 1). A flag means assignment is broken (a weight
 * changed behind the experiment, a variant failing before it logs, bots…) and no conclusion
 * should be drawn from the data.
 */
export function sampleRatioCheck(unitsA: number, unitsB: number, percentB: number, alpha = SRM_ALPHA): SrmCheck {
  const expected: [number, number] = [(100 - percentB) / 100, percentB / 100];
  if (unitsA + unitsB === 0) return { observed: [unitsA, unitsB], expected, statistic: 0, pValue: 1, flagged: false };
  const r = chiSquareGoodnessOfFit([unitsA, unitsB], expected);
  return { observed: [unitsA, unitsB], expected, statistic: r.statistic, pValue: r.pValue, flagged: r.pValue < alpha };
}
