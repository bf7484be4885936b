import { extractFeatures, FEATURE_NAMES } from './features.js';
import type { CompiledModel } from './model.js';
import { tierRank, type Tier, type RouteRequest } from './types.js';

export interface FeatureContribution {
  feature: string;
  /** Raw feature value (log-scaled counts, see features.ts). */
  value: number;
  /**
   * How much this feature pushed the chosen tier's logit above the average tier's logit
   * (positive = towards the chosen tier).
   */
  contribution: number;
}

/**
 * Per-feature contributions to the predicted tier: weight × standardised value for that tier,
 * minus the mean over tiers (softmax only sees differences between tiers), largest first.
 */
export function explainPrediction(model: CompiledModel, req: RouteRequest, tier: Tier): FeatureContribution[] {
  const raw = extractFeatures(req);
  const xs = model.standardise(raw);
  const w = model.model.weights;
  const c = tierRank(tier);
  return FEATURE_NAMES.map((feature, j) => {
    const mean = (w[0]![j]! + w[1]![j]! + w[2]![j]!) / 3;
    return { feature, value: raw[j]!, contribution: ((w[c]![j]! - mean) * xs[j]!) / model.model.temperature };
  }).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}
