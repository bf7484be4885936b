import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/router/features.js';
import { compileModel, type CompiledModel, type RouterModel } from '../../src/router/model.js';
import { TIERS } from '../../src/router/types.js';

/**
 * A model with zero weights whose biases are the log of the given probabilities, so every
 * request gets exactly those probabilities (softmax(log p) = p when p sums to 1).
 */
export function constantModel(p: { fast: number; mid: number; powerful: number }): CompiledModel {
  const model: RouterModel = {
    format: 'llmops-router-model',
    version: 1,
    features: [...FEATURE_NAMES],
    tiers: [...TIERS],
    mean: new Array<number>(FEATURE_COUNT).fill(0),
    std: new Array<number>(FEATURE_COUNT).fill(1),
    weights: TIERS.map(() => new Array<number>(FEATURE_COUNT).fill(0)),
    bias: [Math.log(p.fast), Math.log(p.mid), Math.log(p.powerful)],
    temperature: 1,
    training: { seed: 0, examples: 0, epochs: 0, l2: 0, calibrationExamples: 0, trainAccuracy: 0, calibrationLogLoss: 0 },
  };
  return compileModel(model);
}
