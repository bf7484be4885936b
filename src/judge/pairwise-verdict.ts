import type { CompareWinner } from './tasks/compare.js';

export type PairwiseOutcome = 'candidate' | 'baseline' | 'tie';

export interface PairwiseVerdict {
  outcome: PairwiseOutcome;
  /** Each order's verdict, in candidate/baseline terms. */
  candidateFirst: PairwiseOutcome;
  baselineFirst: PairwiseOutcome;
  /** The two orders disagreed (the verdict became a tie). */
  inconsistent: boolean;
  /** The judge picked the same *position* in both orders: a sign of position bias. */
  positionBias: 'first' | 'second' | null;
}

/**
 * Combines the two orders of a pairwise comparison. Order 1 shows the candidate as A, order 2
 * shows the baseline as A. Only a verdict both orders agree on stands; any disagreement
 * (including one order saying tie) is a tie, which cancels the judge's position bias.
 */
export function combinePairwiseOrders(candidateFirst: CompareWinner, baselineFirst: CompareWinner): PairwiseVerdict {
  const first: PairwiseOutcome = candidateFirst === 'A' ? 'candidate' : candidateFirst === 'B' ? 'baseline' : 'tie';
  const second: PairwiseOutcome = baselineFirst === 'A' ? 'baseline' : baselineFirst === 'B' ? 'candidate' : 'tie';
  const inconsistent = first !== second;
  const positionBias = inconsistent && candidateFirst === baselineFirst && candidateFirst !== 'tie' ? (candidateFirst === 'A' ? 'first' : 'second') : null;
  return { outcome: inconsistent ? 'tie' : first, candidateFirst: first, baselineFirst: second, inconsistent, positionBias };
}

/** Win = 1, tie = 0.5, loss = 0: the mean over cases is the candidate's win rate with ties split. */
export function pairwiseValue(outcome: PairwiseOutcome): number {
  return outcome === 'candidate' ? 1 : outcome === 'tie' ? 0.5 : 0;
}
