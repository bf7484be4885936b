import { generatePairs } from './generate.js';
import { toMatrix } from './matrix.js';
import type { RouterModel } from './model.js';
import { trainModel } from './train.js';

/** How the shipped model is made; change these and rerun `npx tsx src/router/train-default.ts`. */
export const DEFAULT_TRAINING = { seed: 42, examples: 20_000 } as const;
/** A held-out set from another seed, shipped for `llmops router eval` examples. */
export const DEFAULT_EVAL_SET = { seed: 4242, examples: 500 } as const;

export function trainDefaultModel(): RouterModel {
  return trainModel(toMatrix(generatePairs(DEFAULT_TRAINING.examples, DEFAULT_TRAINING.seed)), { seed: DEFAULT_TRAINING.seed });
}
