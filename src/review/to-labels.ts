import type { ItemVerdict } from './consolidate.js';
import type { Dimension } from './types.js';

/**
 * One line of the labels file `llmops judge calibrate --labels` reads (src/judge/calibration/
 * labels.ts): `id` (suite case id), `output` (the answer the humans graded), `label` (the point
 * on the 1–5 scale). Extra keys say where it came from; the judge keeps them for the user.
 */
export interface LabelLine {
  id: string;
  output: string;
  label: number;
  dimension: Dimension;
  reviewers: string[];
  scores: number[];
  request_id: string;
}

/**
 * Labels for one dimension: the lower median of the reviewers' grades per item, only for items
 * that map to a case in the suite, one line per case (calibration refuses a case labelled twice). Pure.
 */
export function planLabels(verdicts: ReadonlyArray<ItemVerdict>, caseIds: ReadonlyMap<string, string>, dimension: Dimension): LabelLine[] {
  const out: LabelLine[] = [];
  const seen = new Set<string>();
  for (const v of verdicts) {
    const id = caseIds.get(v.item.response.requestId);
    if (v.median === null || id === undefined || seen.has(id)) continue;
    seen.add(id);
    out.push({ id, output: v.item.response.response, label: v.median[dimension], dimension, reviewers: v.reviewers, scores: v.scores[dimension], request_id: v.item.response.requestId });
  }
  return out;
}
