import { computeAgreement } from '../judge/calibration/agreement.js';
import { DIMENSIONS, SCALE_MAX, SCALE_MIN, type Dimension, type Grade } from './types.js';

/**
 * Inter-reviewer agreement per dimension, over items graded (not skipped) by two or more
 * reviewers. Percent agreement pools every reviewer pair on every item; kappa is Cohen's
 * quadratic-weighted kappa per reviewer pair (via the judge's agreement code, which is checked
 * against hand-computed values), averaged over pairs (Light's kappa) when there are more than two.
 */

export interface PairKappa {
  a: string;
  b: string;
  n: number;
  kappaQuadratic: number | null;
}

export interface DimensionAgreement {
  dimension: Dimension;
  /** Items with ≥ 2 reviewers. */
  items: number;
  /** Reviewer pairs compared, summed over items. */
  comparisons: number;
  /** Share of comparisons with the same grade; null with no comparisons. */
  exact: number | null;
  /** Share of comparisons at most one point apart. */
  withinOne: number | null;
  /** Mean quadratic-weighted kappa over reviewer pairs with ≥ 2 shared items; null if none is defined. */
  kappa: number | null;
  pairs: PairKappa[];
}

const SCALE = Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, i) => SCALE_MIN + i);

export function reviewerAgreement(grades: ReadonlyArray<Grade>): DimensionAgreement[] {
  const byItem = new Map<string, Grade[]>();
  for (const g of grades) {
    if (g.scores === null) continue;
    const key = `${g.batchId}\u0000${g.requestId}`;
    const list = byItem.get(key) ?? [];
    list.push(g);
    byItem.set(key, list);
  }
  const multi = [...byItem.values()].filter((l) => l.length >= 2).map((l) => [...l].sort((x, y) => (x.reviewer < y.reviewer ? -1 : 1)));
  return DIMENSIONS.map((d) => {
    let comparisons = 0;
    let same = 0;
    let close = 0;
    const perPair = new Map<string, Array<{ human: number; judge: number }>>();
    for (const list of multi) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const x = list[i]!.scores![d];
          const y = list[j]!.scores![d];
          comparisons++;
          if (x === y) same++;
          if (Math.abs(x - y) <= 1) close++;
          const key = `${list[i]!.reviewer}\u0000${list[j]!.reviewer}`;
          const pairs = perPair.get(key) ?? [];
          pairs.push({ human: x, judge: y });
          perPair.set(key, pairs);
        }
      }
    }
    const pairs: PairKappa[] = [...perPair.entries()].map(([key, list]) => {
      const [a, b] = key.split('\u0000') as [string, string];
      return { a, b, n: list.length, kappaQuadratic: list.length >= 2 ? computeAgreement(list, SCALE).kappaQuadratic : null };
    });
    const defined = pairs.map((p) => p.kappaQuadratic).filter((k): k is number => k !== null);
    return {
      dimension: d,
      items: multi.length,
      comparisons,
      exact: comparisons === 0 ? null : same / comparisons,
      withinOne: comparisons === 0 ? null : close / comparisons,
      kappa: defined.length === 0 ? null : defined.reduce((s, k) => s + k, 0) / defined.length,
      pairs,
    };
  });
}
