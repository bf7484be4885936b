import type { PriceInfo, Score } from './scorers/types.js';
import type { Outcome } from '../store/types.js';

/**
 * A case passes when every gating scorer that judged it passed. Scorers that only measure
 * (pass: null) never decide. Errors are decided before scoring and never reach here.
 */
export function decideOutcome(scores: ReadonlyArray<{ score: Score; gating: boolean }>): Outcome {
  for (const { score, gating } of scores) if (gating && score.pass === false) return 'fail';
  return 'pass';
}

export function costUsd(price: PriceInfo | undefined, inputTokens: number, outputTokens: number): number | null {
  if (!price) return null;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
