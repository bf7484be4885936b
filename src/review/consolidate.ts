import { DIMENSIONS, PROBLEM_AT_OR_BELOW, type Dimension, type Grade, type ReviewItem } from './types.js';

/** Everything the reviewers said about one item, merged. Pure. */
export interface ItemVerdict {
  item: ReviewItem;
  /** Reviewers who graded it (skips excluded), sorted. */
  reviewers: string[];
  /** Per dimension: the median grade (lower middle on an even count, so disagreement leans strict). */
  median: Record<Dimension, number> | null;
  /** Per dimension: every reviewer's grade, in reviewer order. */
  scores: Record<Dimension, number[]>;
  /** The latest corrected answer any reviewer gave. */
  correctedAnswer: string | null;
  notes: string[];
  /** Dimensions whose median is at or below PROBLEM_AT_OR_BELOW. */
  problems: Dimension[];
}

export function lowerMedian(values: ReadonlyArray<number>): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

export function consolidate(items: ReadonlyArray<ReviewItem>, grades: ReadonlyArray<Grade>): ItemVerdict[] {
  const byItem = new Map<string, Grade[]>();
  for (const g of grades) {
    const key = `${g.batchId}\u0000${g.requestId}`;
    const list = byItem.get(key) ?? [];
    list.push(g);
    byItem.set(key, list);
  }
  return items.map((item) => {
    const all = byItem.get(`${item.batchId}\u0000${item.response.requestId}`) ?? [];
    const graded = all.filter((g) => g.scores !== null).sort((a, b) => (a.reviewer < b.reviewer ? -1 : 1));
    const scores = Object.fromEntries(DIMENSIONS.map((d) => [d, graded.map((g) => g.scores![d])])) as Record<Dimension, number[]>;
    const median = graded.length === 0 ? null : (Object.fromEntries(DIMENSIONS.map((d) => [d, lowerMedian(scores[d])])) as Record<Dimension, number>);
    const corrections = all.filter((g) => g.correctedAnswer !== null).sort((a, b) => (a.gradedAt < b.gradedAt ? -1 : a.gradedAt > b.gradedAt ? 1 : 0));
    return {
      item,
      reviewers: graded.map((g) => g.reviewer),
      median,
      scores,
      correctedAnswer: corrections.length ? corrections[corrections.length - 1]!.correctedAnswer : null,
      notes: all.map((g) => g.note).filter((n): n is string => n !== null),
      problems: median === null ? [] : DIMENSIONS.filter((d) => median[d] <= PROBLEM_AT_OR_BELOW),
    };
  });
}
