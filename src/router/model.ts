import { z } from 'zod';
import { FEATURE_COUNT, FEATURE_NAMES, extractFeatures } from './features.js';
import { TIERS, type RouteRequest, type Tier } from './types.js';

/**
 * A multinomial logistic regression over standardised features, with a temperature fitted on
 * held-out data so the top probability is a calibrated confidence. Small enough to read: three
 * rows of weights, one per tier.
 */
export interface RouterModel {
  format: 'llmops-router-model';
  version: 1;
  features: string[];
  tiers: Tier[];
  /** Per-feature mean and standard deviation used to standardise inputs. */
  mean: number[];
  std: number[];
  /** weights[tier][feature] over standardised features. */
  weights: number[][];
  bias: number[];
  /** Logits are divided by this before the softmax (temperature scaling, Guo et al. 2017). */
  temperature: number;
  training: { seed: number; examples: number; epochs: number; l2: number; calibrationExamples: number; trainAccuracy: number; calibrationLogLoss: number };
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const TierSchema = z.enum(TIERS);

export const RouterModelSchema = z.strictObject({
  format: z.literal('llmops-router-model'),
  version: z.literal(1),
  features: z.array(z.string()),
  tiers: z.array(TierSchema).length(TIERS.length),
  mean: z.array(finite),
  std: z.array(finite.refine((v) => v > 0, 'must be > 0')),
  weights: z.array(z.array(finite)).length(TIERS.length),
  bias: z.array(finite).length(TIERS.length),
  temperature: finite.refine((v) => v > 0, 'must be > 0'),
  training: z.strictObject({
    seed: z.number().int(),
    examples: z.number().int().nonnegative(),
    epochs: z.number().int().nonnegative(),
    l2: z.number().nonnegative(),
    calibrationExamples: z.number().int().nonnegative(),
    trainAccuracy: z.number(),
    calibrationLogLoss: z.number(),
  }),
});

/** Shape checks beyond the schema: the model must match this build's feature list. */
export function modelShapeIssues(m: z.output<typeof RouterModelSchema>): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  if (m.features.length !== FEATURE_COUNT || m.features.some((f, i) => f !== FEATURE_NAMES[i])) {
    issues.push({ path: 'features', message: `model was trained on other features (${m.features.join(', ')}); this llmops uses ${FEATURE_NAMES.join(', ')}` });
  }
  if (m.tiers.some((t, i) => t !== TIERS[i])) issues.push({ path: 'tiers', message: `tiers must be ${TIERS.join(', ')} in that order` });
  for (const key of ['mean', 'std'] as const) {
    if (m[key].length !== FEATURE_COUNT) issues.push({ path: key, message: `expected ${FEATURE_COUNT} values, got ${m[key].length}` });
  }
  m.weights.forEach((row, i) => {
    if (row.length !== FEATURE_COUNT) issues.push({ path: `weights[${i}]`, message: `expected ${FEATURE_COUNT} values, got ${row.length}` });
  });
  return issues;
}

export interface Prediction {
  tier: Tier;
  confidence: number;
  probabilities: Record<Tier, number>;
}

/**
 * A model compiled for the hot path: flat typed arrays and scratch buffers reused across calls
 * (the gateway classifies every request, so predict allocates only its result object).
 */
export interface CompiledModel {
  readonly model: RouterModel;
  predict(req: RouteRequest): Prediction;
  /** Probabilities from an already extracted feature vector (training/eval loops). */
  predictFeatures(x: Float64Array): Prediction;
  /** Standardised feature vector of a request (for explanations). */
  standardise(x: Float64Array): Float64Array;
}

export function compileModel(model: RouterModel): CompiledModel {
  const k = TIERS.length;
  const f = FEATURE_COUNT;
  const w = new Float64Array(k * f);
  for (let c = 0; c < k; c++) for (let j = 0; j < f; j++) w[c * f + j] = model.weights[c]![j]!;
  const mean = Float64Array.from(model.mean);
  const invStd = Float64Array.from(model.std, (s) => 1 / s);
  const bias = Float64Array.from(model.bias);
  const invT = 1 / model.temperature;
  const scratch = new Float64Array(f);
  const logits = new Float64Array(k);

  const predictFeatures = (x: Float64Array): Prediction => {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = bias[c]!;
      const off = c * f;
      for (let j = 0; j < f; j++) s += w[off + j]! * (x[j]! - mean[j]!) * invStd[j]!;
      s *= invT;
      logits[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(logits[c]! - max);
      logits[c] = e;
      sum += e;
    }
    let best = 0;
    for (let c = 1; c < k; c++) if (logits[c]! > logits[best]!) best = c;
    return {
      tier: TIERS[best]!,
      confidence: logits[best]! / sum,
      probabilities: { fast: logits[0]! / sum, mid: logits[1]! / sum, powerful: logits[2]! / sum },
    };
  };

  return {
    model,
    predictFeatures,
    predict: (req) => predictFeatures(extractFeatures(req, scratch)),
    standardise: (x) => Float64Array.from(x, (v, j) => (v - mean[j]!) * invStd[j]!),
  };
}
