import { describe, expect, it } from 'vitest';
import { createRouteDecider, decideFromPrediction, decideRoute, matchOverride } from '../../src/router/decide.js';
import { fromQuery } from '../../src/router/features.js';
import { DEFAULT_POLICY, RoutingPolicySchema, type OverrideRule } from '../../src/router/policy.js';
import { TIERS, type Tier } from '../../src/router/types.js';
import { constantModel } from './support.js';

describe('confidence fallback', () => {
  it('default policy: threshold 0.7, low-confidence tier mid', () => {
    expect(DEFAULT_POLICY.confidenceThreshold).toBe(0.7);
    expect(DEFAULT_POLICY.lowConfidenceTier).toBe('mid');
  });

  // Every predicted tier × confidence on both sides of (and at) the threshold.
  for (const predicted of TIERS) {
    for (const [confidence, expected] of [[0.69, 'mid'], [0.6999999, 'mid'], [0.7, predicted], [0.71, predicted], [0.99, predicted]] as const) {
      it(`predicted ${predicted} at ${confidence} → ${expected}`, () => {
        const d = decideFromPrediction({ tier: predicted, confidence, probabilities: { fast: 0, mid: 0, powerful: 0 } }, DEFAULT_POLICY);
        expect(d.tier).toBe(expected);
        expect(d.reason).toBe(confidence < 0.7 ? 'low_confidence' : 'classifier');
        expect(d.predicted).toBe(predicted);
        expect(d.confidence).toBe(confidence);
      });
    }
  }

  it('threshold and fallback tier are configurable', () => {
    const p = { tier: 'fast' as Tier, confidence: 0.8, probabilities: { fast: 0.8, mid: 0.1, powerful: 0.1 } };
    expect(decideFromPrediction(p, { confidenceThreshold: 0.9, lowConfidenceTier: 'powerful' })).toMatchObject({ tier: 'powerful', reason: 'low_confidence' });
    expect(decideFromPrediction(p, { confidenceThreshold: 0, lowConfidenceTier: 'powerful' })).toMatchObject({ tier: 'fast', reason: 'classifier' });
  });

  it('end to end with a model whose probabilities are exact', () => {
    const unsure = constantModel({ fast: 0.6, mid: 0.3, powerful: 0.1 });
    const sure = constantModel({ fast: 0.05, mid: 0.15, powerful: 0.8 });
    const d1 = decideRoute(fromQuery('anything'), unsure, DEFAULT_POLICY);
    expect(d1).toMatchObject({ tier: 'mid', reason: 'low_confidence', predicted: 'fast' });
    expect(d1.confidence).toBeCloseTo(0.6, 12);
    const d2 = decideRoute(fromQuery('anything'), sure, DEFAULT_POLICY);
    expect(d2).toMatchObject({ tier: 'powerful', reason: 'classifier' });
    expect(d2.confidence).toBeCloseTo(0.8, 12);
  });
});

describe('tenant / operation overrides', () => {
  const rules: OverrideRule[] = RoutingPolicySchema.parse({
    overrides: [
      { name: 'acme-legal', tenant: 'acme', tags: ['legal-review'], tier: 'powerful' },
      { tags: ['legal-review', 'contract'], tier: 'mid' },
      { name: 'smalltalk', tags: ['chitchat'], tier: 'fast' },
    ],
  }).overrides;
  const policy = { ...DEFAULT_POLICY, overrides: rules };
  const model = constantModel({ fast: 0.9, mid: 0.05, powerful: 0.05 });

  it('the first matching rule wins; tenant-scoped rules only match their tenant', () => {
    expect(decideRoute(fromQuery('hi', { tags: ['legal-review'], tenant: 'acme' }), model, policy)).toEqual({ tier: 'powerful', confidence: 1, reason: 'override', rule: 'acme-legal' });
    expect(decideRoute(fromQuery('hi', { tags: ['legal-review'], tenant: 'other' }), model, policy)).toEqual({ tier: 'mid', confidence: 1, reason: 'override', rule: 'legal-review,contract' });
    expect(decideRoute(fromQuery('hi', { tags: ['contract'] }), model, policy).tier).toBe('mid');
    expect(decideRoute(fromQuery('Prove the theorem', { tags: ['chitchat'] }), constantModel({ fast: 0.01, mid: 0.01, powerful: 0.98 }), policy)).toMatchObject({ tier: 'fast', rule: 'smalltalk' });
  });

  it('no tags or unmatched tags → the classifier decides', () => {
    expect(matchOverride(fromQuery('hi'), rules)).toBeUndefined();
    expect(matchOverride(fromQuery('hi', { tags: [] }), rules)).toBeUndefined();
    expect(decideRoute(fromQuery('hi', { tags: ['marketing'] }), model, policy)).toMatchObject({ tier: 'fast', reason: 'classifier' });
  });

  it('an override applies even when the classifier is unsure', () => {
    const unsure = constantModel({ fast: 0.4, mid: 0.3, powerful: 0.3 });
    expect(decideRoute(fromQuery('hi', { tags: ['chitchat'] }), unsure, policy)).toMatchObject({ tier: 'fast', reason: 'override' });
  });

  it('createRouteDecider returns the same decisions as decideRoute', () => {
    const decider = createRouteDecider(model, policy);
    const req = fromQuery('hi', { tags: ['legal-review'], tenant: 'acme' });
    expect(decider(req)).toEqual(decideRoute(req, model, policy));
  });

  it('policy validation rejects an override without tags or with an unknown tier', () => {
    const bad = RoutingPolicySchema.safeParse({ overrides: [{ tags: [], tier: 'huge' }] });
    expect(bad.success).toBe(false);
    const paths = bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['overrides.0.tags', 'overrides.0.tier']));
  });
});
