import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, trainDefaultModel } from '../../src/router/default-training.js';
import { evaluateRouter } from '../../src/router/evaluate.js';
import { FEATURE_COUNT } from '../../src/router/features.js';
import { generatePairs } from '../../src/router/generate.js';
import { DEFAULT_MODEL_FILE, loadModel, parseModel } from '../../src/router/load-model.js';
import { toMatrix } from '../../src/router/matrix.js';
import { compileModel } from '../../src/router/model.js';
import { logLossAt, trainModel } from '../../src/router/train.js';

describe('generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generatePairs(300, 7)).toEqual(generatePairs(300, 7));
    expect(generatePairs(300, 7)).not.toEqual(generatePairs(300, 8));
  });
  it('produces every tier, close to the requested mix', () => {
    const pairs = generatePairs(4000, 1);
    const share = (t: string) => pairs.filter((p) => p.tier === t).length / pairs.length;
    // Default mix 45/30/25; binomial SE at n=4000 is ≤ 0.008, so ±0.03 is > 3.5 SE.
    expect(share('fast')).toBeCloseTo(0.45, 1);
    expect(Math.abs(share('mid') - 0.3)).toBeLessThan(0.03);
    expect(Math.abs(share('powerful') - 0.25)).toBeLessThan(0.03);
  });
});

describe('training', () => {
  const pairs = generatePairs(3000, 11);
  const data = toMatrix(pairs);

  it('is deterministic given the seed (byte-identical model JSON)', () => {
    const a = JSON.stringify(trainModel(data, { seed: 5, epochs: 80 }));
    const b = JSON.stringify(trainModel(data, { seed: 5, epochs: 80 }));
    expect(a).toBe(b);
    // Another seed holds out another calibration split, so the model differs.
    expect(JSON.stringify(trainModel(data, { seed: 6, epochs: 80 }))).not.toBe(a);
  });

  it('learns the generated tiers well on held-out pairs from another seed', () => {
    const model = compileModel(trainModel(data, { seed: 1 }));
    const heldOut = toMatrix(generatePairs(1500, 99));
    const e = evaluateRouter(model, heldOut, { threshold: 0.7, lowConfidenceTier: 'mid', prices: { fast: 0.002, mid: 0.007, powerful: 0.021 } });
    expect(e.classifierAccuracy).toBeGreaterThan(0.9);
    expect(e.underServed).toBeLessThan(0.03);
  });

  it('the fitted temperature does not do worse on held-out log-loss than T = 1', () => {
    const model = trainModel(data, { seed: 3 });
    expect(model.temperature).toBeGreaterThan(0);
    expect(model.training.calibrationExamples).toBe(600);
    // Recompute held-out logits from the model (undo T) and compare NLL at the fitted T and at 1.
    const heldOut = toMatrix(generatePairs(800, 123));
    const c = compileModel({ ...model, temperature: 1 });
    const logits = new Float64Array(heldOut.n * 3);
    for (let i = 0; i < heldOut.n; i++) {
      const p = c.predictFeatures(heldOut.x.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT)).probabilities;
      logits.set([Math.log(p.fast), Math.log(p.mid), Math.log(p.powerful)], i * 3);
    }
    const idx = Uint32Array.from({ length: heldOut.n }, (_, i) => i);
    expect(logLossAt(logits, heldOut.y, idx, model.temperature)).toBeLessThanOrEqual(logLossAt(logits, heldOut.y, idx, 1) + 0.02);
  });

  it('a tiny set trains on everything with temperature 1', () => {
    const model = trainModel(toMatrix(generatePairs(20, 2)), { seed: 1, epochs: 10 });
    expect(model.training.calibrationExamples).toBe(0);
    expect(model.temperature).toBe(1);
  });

  it('the probabilities of a compiled model sum to 1', () => {
    const c = compileModel(trainModel(data, { seed: 1, epochs: 50 }));
    for (let i = 0; i < 50; i++) {
      const p = c.predictFeatures(data.x.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT));
      expect(p.probabilities.fast + p.probabilities.mid + p.probabilities.powerful).toBeCloseTo(1, 12);
      expect(p.confidence).toBe(Math.max(p.probabilities.fast, p.probabilities.mid, p.probabilities.powerful));
    }
  });
});

describe('shipped default model', () => {
  it('is exactly what src/router/train-default.ts produces (reproducible)', () => {
    const shipped = JSON.parse(readFileSync(DEFAULT_MODEL_FILE, 'utf8')) as unknown;
    expect(trainDefaultModel()).toEqual(shipped);
    expect(DEFAULT_TRAINING.seed).toBe(42);
  });

  it('is calibrated on held-out generated pairs: expected calibration error (10 bins) under 0.05', () => {
    // ECE = Σ_bins (n_b / n) · |accuracy_b − mean confidence_b|; measured 0.031 at commit time.
    const model = loadModel();
    const d = toMatrix(generatePairs(3000, 777));
    const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, ok: 0 }));
    for (let i = 0; i < d.n; i++) {
      const p = model.predictFeatures(d.x.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT));
      const b = bins[Math.min(9, Math.floor(p.confidence * 10))]!;
      b.n++;
      b.conf += p.confidence;
      if (p.tier === ['fast', 'mid', 'powerful'][d.y[i]!]) b.ok++;
    }
    const ece = bins.reduce((s, b) => (b.n === 0 ? s : s + (b.n / d.n) * Math.abs(b.ok / b.n - b.conf / b.n)), 0);
    expect(ece).toBeLessThan(0.05);
  });

  it('loads and validates', () => {
    expect(loadModel().model.training.examples).toBe(DEFAULT_TRAINING.examples);
  });

  it('a model file of another feature list or a broken one is refused with its path', () => {
    const m = JSON.parse(readFileSync(DEFAULT_MODEL_FILE, 'utf8')) as { features: string[]; temperature: number };
    m.features = m.features.slice(1);
    expect(() => parseModel('m.json', JSON.stringify(m))).toThrow(/m\.json \(features\): model was trained on other features/);
    expect(() => parseModel('m.json', JSON.stringify({ ...m, temperature: -1 }))).toThrow(/m\.json \(temperature\)/);
    expect(() => parseModel('m.json', '{oops')).toThrow(/m\.json: router model is not valid JSON/);
  });
});
