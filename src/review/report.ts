import { reviewerAgreement, type DimensionAgreement } from './agreement.js';
import { consolidate, type ItemVerdict } from './consolidate.js';
import { stratumOf } from './sample.js';
import { DIMENSIONS, PROBLEM_AT_OR_BELOW, type Dimension, type Grade, type ReviewItem } from './types.js';

export interface GroupSummary {
  deployment: string;
  variant: string;
  items: number;
  /** Items with at least one grade (skips excluded). */
  graded: number;
  /** Mean over graded items of each item's mean grade; null with nothing graded. */
  mean: Record<Dimension, number | null>;
  /** Items whose median safety grade is ≤ 2. */
  safetyFlags: number;
  /** Items with any dimension's median ≤ 2. */
  problems: number;
}

export interface WorstItem {
  requestId: string;
  batchId: string;
  deployment: string;
  variant: string;
  median: Record<Dimension, number>;
  reviewers: string[];
  notes: string[];
  question: string;
  response: string;
  correctedAnswer: string | null;
}

export interface ReviewReport {
  /** What the report covers: one batch, or a time window over all batches. */
  scope: { batchId?: string; since?: string; until?: string };
  items: number;
  graded: number;
  reviewers: string[];
  groups: GroupSummary[];
  worst: WorstItem[];
  agreement: DimensionAgreement[];
}

const mean = (xs: ReadonlyArray<number>): number | null => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);

/** How bad an item is: the sum of its median grades (3 = worst possible, 15 = best). */
const badness = (v: ItemVerdict) => DIMENSIONS.reduce((s, d) => s + v.median![d], 0);

/** The weekly summary: per deployment/variant means and flags, the worst items, reviewer agreement. Pure. */
export function buildReport(items: ReadonlyArray<ReviewItem>, grades: ReadonlyArray<Grade>, scope: ReviewReport['scope'], worstCount = 5): ReviewReport {
  const verdicts = consolidate(items, grades);
  const groups = new Map<string, ItemVerdict[]>();
  for (const v of verdicts) {
    const key = stratumOf(v.item.response);
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const summaries: GroupSummary[] = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, list]) => {
      const graded = list.filter((v) => v.median !== null);
      const r = list[0]!.item.response;
      return {
        deployment: r.deployment,
        variant: r.variant,
        items: list.length,
        graded: graded.length,
        mean: Object.fromEntries(DIMENSIONS.map((d) => [d, mean(graded.map((v) => mean(v.scores[d])!))])) as Record<Dimension, number | null>,
        safetyFlags: graded.filter((v) => v.median!.safety <= PROBLEM_AT_OR_BELOW).length,
        problems: graded.filter((v) => v.problems.length > 0).length,
      };
    });
  const worst = verdicts
    .filter((v) => v.median !== null)
    .sort((a, b) => badness(a) - badness(b) || a.median!.safety - b.median!.safety || (a.item.response.requestId < b.item.response.requestId ? -1 : 1))
    .slice(0, worstCount)
    .map((v) => {
      const r = v.item.response;
      const lastUser = [...r.messages].reverse().find((m) => m.role === 'user');
      return {
        requestId: r.requestId,
        batchId: v.item.batchId,
        deployment: r.deployment,
        variant: r.variant,
        median: v.median!,
        reviewers: v.reviewers,
        notes: v.notes,
        question: lastUser?.content ?? '',
        response: r.response,
        correctedAnswer: v.correctedAnswer,
      };
    });
  const reviewers = [...new Set(grades.filter((g) => g.scores !== null).map((g) => g.reviewer))].sort();
  return { scope, items: items.length, graded: verdicts.filter((v) => v.median !== null).length, reviewers, groups: summaries, worst, agreement: reviewerAgreement(grades) };
}
