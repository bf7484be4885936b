import type { PriceInfo, ScoreInput } from '../../src/eval/scorers/types.js';
import type { Case } from '../../src/suite/types.js';

export function input(text: string, c: Partial<Case> = {}, extra: { latencyMs?: number; inputTokens?: number; outputTokens?: number; price?: PriceInfo } = {}): ScoreInput {
  return {
    case: { id: 'c1', vars: {}, tags: [], ...c },
    output: { text, inputTokens: extra.inputTokens ?? 0, outputTokens: extra.outputTokens ?? 0, latencyMs: extra.latencyMs ?? 10, ttftMs: null },
    prompt: 'p',
    price: extra.price,
    modelRef: 'm',
  };
}
