import { createRng } from '../stats/prng.js';
import { FEATURE_COUNT, FEATURE_NAMES } from './features.js';
import { compileModel, type RouterModel } from './model.js';
import { TIERS } from './types.js';

/** Training inputs: n feature rows (flat, row-major, FEATURE_COUNT wide) and their tier indices. */
export interface TrainingMatrix {
  x: Float64Array;
  y: Uint8Array;
  n: number;
}

export interface TrainOptions {
  seed: number;
  /** Full-batch Adam steps. */
  epochs?: number;
  /** L2 penalty on the weights (not the biases); keeps the model from over-trusting one cue. */
  l2?: number;
  learningRate?: number;
  /** Share of examples held out to fit the temperature (calibration), when there are enough. */
  calibrationShare?: number;
}

const K = TIERS.length;
const F = FEATURE_COUNT;

/**
 * Trains the multinomial logistic regression, deterministically for a given seed and data:
 * the seed only decides the held-out calibration split; the optimiser is full-batch, so there is
 * no other randomness.
 */
export function trainModel(data: TrainingMatrix, opts: TrainOptions): RouterModel {
  const epochs = opts.epochs ?? 300;
  const l2 = opts.l2 ?? 1e-3;
  const lr = opts.learningRate ?? 0.05;
  const { trainIdx, calIdx } = splitForCalibration(data.n, opts.seed, opts.calibrationShare ?? 0.2);

  const { mean, std } = featureMoments(data, trainIdx);
  const xs = standardised(data, mean, std);
  const w = new Float64Array(K * F);
  const b = new Float64Array(K);
  adamFullBatch(xs, data.y, trainIdx, w, b, { epochs, l2, lr });

  const logitsCal = logitsOf(xs, calIdx, w, b);
  const temperature = calIdx.length > 0 ? fitTemperature(logitsCal, data.y, calIdx) : 1;
  const model: RouterModel = {
    format: 'llmops-router-model',
    version: 1,
    features: [...FEATURE_NAMES],
    tiers: [...TIERS],
    mean: Array.from(mean, round9),
    std: Array.from(std, round9),
    weights: Array.from({ length: K }, (_, c) => Array.from(w.subarray(c * F, (c + 1) * F), round9)),
    bias: Array.from(b, round9),
    temperature: round9(temperature),
    training: { seed: opts.seed, examples: data.n, epochs, l2, calibrationExamples: calIdx.length, trainAccuracy: 0, calibrationLogLoss: 0 },
  };
  const compiled = compileModel(model);
  model.training.trainAccuracy = round9(accuracyOn(compiled.predictFeatures, data, trainIdx));
  model.training.calibrationLogLoss = round9(calIdx.length > 0 ? logLossAt(logitsCal, data.y, calIdx, temperature) : 0);
  return model;
}

/** Rounded so the JSON file is stable and readable; 9 digits is far below any effect on decisions. */
const round9 = (v: number) => Math.round(v * 1e9) / 1e9;

function splitForCalibration(n: number, seed: number, share: number): { trainIdx: Uint32Array; calIdx: Uint32Array } {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  // Too few examples to spare any: train on all and leave the temperature at 1.
  const cal = n >= 50 ? Math.floor(n * share) : 0;
  return { calIdx: order.slice(0, cal).sort(), trainIdx: order.slice(cal).sort() };
}

function featureMoments(data: TrainingMatrix, idx: Uint32Array): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(F);
  const std = new Float64Array(F);
  for (const i of idx) for (let j = 0; j < F; j++) mean[j]! += data.x[i * F + j]!;
  for (let j = 0; j < F; j++) mean[j]! /= Math.max(1, idx.length);
  for (const i of idx) for (let j = 0; j < F; j++) std[j]! += (data.x[i * F + j]! - mean[j]!) ** 2;
  // A constant feature keeps std 1 so it standardises to 0 instead of dividing by zero.
  for (let j = 0; j < F; j++) std[j] = Math.sqrt(std[j]! / Math.max(1, idx.length)) || 1;
  return { mean, std };
}

function standardised(data: TrainingMatrix, mean: Float64Array, std: Float64Array): Float64Array {
  const xs = new Float64Array(data.n * F);
  for (let i = 0; i < data.n; i++) for (let j = 0; j < F; j++) xs[i * F + j] = (data.x[i * F + j]! - mean[j]!) / std[j]!;
  return xs;
}

function adamFullBatch(xs: Float64Array, y: Uint8Array, idx: Uint32Array, w: Float64Array, b: Float64Array, o: { epochs: number; l2: number; lr: number }): void {
  const P = K * F + K;
  const grad = new Float64Array(P);
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  const invN = 1 / Math.max(1, idx.length);
  for (let t = 1; t <= o.epochs; t++) {
    grad.fill(0);
    // The three tiers are unrolled by hand: this loop runs epochs × examples times and is
    // nearly all of the training time (100,000 pairs must train in well under 30 s).
    for (let r = 0; r < idx.length; r++) {
      const row = idx[r]! * F;
      let z0 = b[0]!, z1 = b[1]!, z2 = b[2]!;
      for (let j = 0; j < F; j++) {
        const xj = xs[row + j]!;
        z0 += w[j]! * xj;
        z1 += w[F + j]! * xj;
        z2 += w[2 * F + j]! * xj;
      }
      const max = z0 > z1 ? (z0 > z2 ? z0 : z2) : z1 > z2 ? z1 : z2;
      const e0 = Math.exp(z0 - max), e1 = Math.exp(z1 - max), e2 = Math.exp(z2 - max);
      const inv = 1 / (e0 + e1 + e2);
      const label = y[idx[r]!]!;
      const d0 = e0 * inv - (label === 0 ? 1 : 0);
      const d1 = e1 * inv - (label === 1 ? 1 : 0);
      const d2 = e2 * inv - (label === 2 ? 1 : 0);
      for (let j = 0; j < F; j++) {
        const xj = xs[row + j]!;
        grad[j]! += d0 * xj;
        grad[F + j]! += d1 * xj;
        grad[2 * F + j]! += d2 * xj;
      }
      grad[K * F]! += d0;
      grad[K * F + 1]! += d1;
      grad[K * F + 2]! += d2;
    }
    const c1 = 1 - beta1 ** t, c2 = 1 - beta2 ** t;
    for (let p = 0; p < P; p++) {
      const isWeight = p < K * F;
      const g = grad[p]! * invN + (isWeight ? o.l2 * w[p]! : 0);
      m[p] = beta1 * m[p]! + (1 - beta1) * g;
      v[p] = beta2 * v[p]! + (1 - beta2) * g * g;
      const step = (o.lr * (m[p]! / c1)) / (Math.sqrt(v[p]! / c2) + eps);
      if (isWeight) w[p]! -= step;
      else b[p - K * F]! -= step;
    }
  }
}

function logitsOf(xs: Float64Array, idx: Uint32Array, w: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(idx.length * K);
  idx.forEach((i, r) => {
    for (let c = 0; c < K; c++) {
      let s = b[c]!;
      for (let j = 0; j < F; j++) s += w[c * F + j]! * xs[i * F + j]!;
      out[r * K + c] = s;
    }
  });
  return out;
}

/** Mean negative log-likelihood of the held-out labels at temperature T. */
export function logLossAt(logits: Float64Array, y: Uint8Array, idx: Uint32Array, T: number): number {
  let total = 0;
  for (let r = 0; r < idx.length; r++) {
    let max = -Infinity;
    for (let c = 0; c < K; c++) max = Math.max(max, logits[r * K + c]! / T);
    let sum = 0;
    for (let c = 0; c < K; c++) sum += Math.exp(logits[r * K + c]! / T - max);
    total += -(logits[r * K + y[idx[r]!]!]! / T - max - Math.log(sum));
  }
  return total / Math.max(1, idx.length);
}

/** Golden-section search of log T in [ln 0.05, ln 20]; NLL in T is unimodal for a fixed model. */
function fitTemperature(logits: Float64Array, y: Uint8Array, idx: Uint32Array): number {
  const f = (lt: number) => logLossAt(logits, y, idx, Math.exp(lt));
  let lo = Math.log(0.05), hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo), bb = lo + g * (hi - lo);
  let fa = f(a), fb = f(bb);
  for (let it = 0; it < 60; it++) {
    if (fa < fb) {
      hi = bb; bb = a; fb = fa; a = hi - g * (hi - lo); fa = f(a);
    } else {
      lo = a; a = bb; fa = fb; bb = lo + g * (hi - lo); fb = f(bb);
    }
  }
  return Math.exp((lo + hi) / 2);
}

function accuracyOn(predict: (x: Float64Array) => { tier: string }, data: TrainingMatrix, idx: Uint32Array): number {
  let ok = 0;
  for (const i of idx) if (predict(data.x.subarray(i * F, (i + 1) * F)).tier === TIERS[data.y[i]!]) ok++;
  return idx.length === 0 ? 0 : ok / idx.length;
}
