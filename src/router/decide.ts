import type { CompiledModel, Prediction } from './model.js';
import type { OverrideRule, RoutingPolicy } from './policy.js';
import type { RouteDecision, RouteRequest } from './types.js';

/** The first override rule matching the request's tenant and tags, if any. */
export function matchOverride(req: RouteRequest, rules: readonly OverrideRule[]): OverrideRule | undefined {
  const tags = req.tags ?? [];
  if (tags.length === 0) return undefined;
  return rules.find((r) => (r.tenant === undefined || r.tenant === req.tenant) && r.tags.some((t) => tags.includes(t)));
}

/** Applies the confidence fallback to a classifier prediction. */
export function decideFromPrediction(p: Prediction, policy: Pick<RoutingPolicy, 'confidenceThreshold' | 'lowConfidenceTier'>): RouteDecision {
  if (p.confidence < policy.confidenceThreshold) return { tier: policy.lowConfidenceTier, confidence: p.confidence, reason: 'low_confidence', predicted: p.tier };
  return { tier: p.tier, confidence: p.confidence, reason: 'classifier', predicted: p.tier };
}

/**
 * Chooses the tier of one request: a matching tenant/operation override wins, otherwise the
 * classifier's tier, or the low-confidence tier when the classifier is unsure. Pure.
 */
export function decideRoute(req: RouteRequest, model: CompiledModel, policy: Pick<RoutingPolicy, 'confidenceThreshold' | 'lowConfidenceTier' | 'overrides'>): RouteDecision {
  const rule = matchOverride(req, policy.overrides);
  if (rule) return { tier: rule.tier, confidence: 1, reason: 'override', rule: rule.name ?? rule.tags.join(',') };
  return decideFromPrediction(model.predict(req), policy);
}

/** A `(request) => decision` function for the gateway's routed deployments. */
export function createRouteDecider(model: CompiledModel, policy: Pick<RoutingPolicy, 'confidenceThreshold' | 'lowConfidenceTier' | 'overrides'>): (req: RouteRequest) => RouteDecision {
  return function routeDecider(req) {
    return decideRoute(req, model, policy);
  };
}
