import type { PriceInfo, Score } from './scorers/types.js';
import type { Outcome } from '../store/types.js';

/** What one applicable scorer made of a result: a score, or the reason it could not evaluate. */
export type Judgement =
  | { gating: boolean; score: Score }
  | { gating: boolean; error: string };

/**
 * The case's outcome from its scorers' judgements:
 * - `error` when a gating scorer could not evaluate it (whatever the others said: the case was
 *   not fully judged, so it is neither a pass nor a fail, and `--resume` runs it again);
 * - else `fail` when a gating scorer failed it;
 * - else `pass`.
 * Non-gating scorers never decide, neither by failing nor by erring; scorers that only measure
 * (pass: null) never decide. Provider errors are decided before scoring and never reach here.
 */
export function decideOutcome(judgements: ReadonlyArray<Judgement>): Outcome {
  let failed = false;
  for (const j of judgements) {
    if (!j.gating) continue;
    if ('error' in j) return 'error';
    if (j.score.pass === false) failed = true;
  }
  return failed ? 'fail' : 'pass';
}

export function costUsd(price: PriceInfo | undefined, inputTokens: number, outputTokens: number): number | null {
  if (!price) return null;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
