import { describe, expect, it } from 'vitest';
import { evaluateRouter } from '../../src/router/evaluate.js';
import { explainPrediction } from '../../src/router/explain.js';
import { FEATURE_COUNT, FEATURE_NAMES, extractFeatures, fromQuery } from '../../src/router/features.js';
import { loadModel } from '../../src/router/load-model.js';
import { TIERS } from '../../src/router/types.js';
import { constantModel } from './support.js';

const prices = { fast: 0.002, mid: 0.007, powerful: 0.021 };
/** Labels fast, fast, mid, powerful; features do not matter to a constant model. */
const data = { x: new Float64Array(4 * FEATURE_COUNT), y: Uint8Array.from([0, 0, 1, 2]), n: 4 };

describe('evaluateRouter (hand-computed on a constant model: always fast at 0.65)', () => {
  const model = constantModel({ fast: 0.65, mid: 0.25, powerful: 0.1 });

  it('below the threshold everything falls back to mid', () => {
    const e = evaluateRouter(model, data, { threshold: 0.7, lowConfidenceTier: 'mid', prices });
    expect(e.classifierAccuracy).toBe(0.5); // predicts fast; 2 of 4 labels are fast
    expect(e.confusion).toEqual({ fast: { fast: 0, mid: 2, powerful: 0 }, mid: { fast: 0, mid: 1, powerful: 0 }, powerful: { fast: 0, mid: 1, powerful: 0 } });
    expect(e.routed.accuracy).toBe(0.25);
    expect(e.routed.adequate).toBe(0.75); // mid serves fast and mid labels, not powerful
    expect(e.underServed).toBe(0.25);
    expect(e.routed.mix).toEqual({ fast: 0, mid: 1, powerful: 0 });
    expect(e.routed.relativeCost).toBeCloseTo(1 / 3, 12); // 0.007 / 0.021
    expect(e.costPerCall.routed).toBeCloseTo(0.007, 12);
    expect(e.costPerCall.allPowerful).toBe(0.021);
  });

  it('at or under the confidence the classifier is trusted', () => {
    const e = evaluateRouter(model, data, { threshold: 0.5, lowConfidenceTier: 'mid', prices });
    expect(e.routed.mix).toEqual({ fast: 1, mid: 0, powerful: 0 });
    expect(e.routed.accuracy).toBe(0.5);
    expect(e.routed.adequate).toBe(0.5);
    expect(e.underServed).toBe(0.5);
    expect(e.routed.relativeCost).toBeCloseTo(0.002 / 0.021, 12);
  });

  it('the curve switches from fast to the fallback between 0.6 and 0.7', () => {
    const e = evaluateRouter(model, data, { threshold: 0.7, lowConfidenceTier: 'powerful', prices });
    expect(e.curve.map((p) => p.threshold)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(e.curve.map((p) => (p.mix.fast === 1 ? 'fast' : p.mix.powerful === 1 ? 'powerful' : '?'))).toEqual([...Array(7).fill('fast'), ...Array(4).fill('powerful')]);
    // All-powerful fallback: every label adequately served at cost 1.
    expect(e.curve.at(-1)).toMatchObject({ adequate: 1, relativeCost: 1, accuracy: 0.25 });
  });
});

describe('explainPrediction', () => {
  it('contributions add up to the chosen tier logit minus the mean logit (bias terms aside)', () => {
    const model = loadModel();
    const m = model.model;
    for (const q of ['My card has not arrived yet, what should I do?', 'Prove that there are infinitely many primes, rigorously.', 'Explain how DNS resolution works.']) {
      const req = fromQuery(q);
      const p = model.predict(req);
      const contributions = explainPrediction(model, req, p.tier);
      expect(contributions.map((c) => c.feature).sort()).toEqual([...FEATURE_NAMES].sort());
      // Recompute logits independently from the model file.
      const x = extractFeatures(req);
      const logits = TIERS.map((_, c) => m.bias[c]! + FEATURE_NAMES.reduce((s, _f, j) => s + m.weights[c]![j]! * ((x[j]! - m.mean[j]!) / m.std[j]!), 0));
      const c = TIERS.indexOf(p.tier);
      const meanLogit = (logits[0]! + logits[1]! + logits[2]!) / 3;
      const meanBias = (m.bias[0]! + m.bias[1]! + m.bias[2]!) / 3;
      const sum = contributions.reduce((s, k) => s + k.contribution, 0);
      expect(sum).toBeCloseTo((logits[c]! - meanLogit - (m.bias[c]! - meanBias)) / m.temperature, 9);
      // Sorted by magnitude, largest first.
      for (let i = 1; i < contributions.length; i++) expect(Math.abs(contributions[i - 1]!.contribution)).toBeGreaterThanOrEqual(Math.abs(contributions[i]!.contribution));
    }
  });
});
