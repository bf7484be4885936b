import { decideFromPrediction } from './decide.js';
import { FEATURE_COUNT } from './features.js';
import type { CompiledModel, Prediction } from './model.js';
import type { TrainingMatrix } from './train.js';
import { TIERS, tierRank, type Tier } from './types.js';

export type TierPrices = Record<Tier, number>;

export interface ThresholdPoint {
  threshold: number;
  /** Share of requests served by a tier at least as capable as their label. */
  adequate: number;
  /** Share served by exactly their labelled tier. */
  accuracy: number;
  mix: Record<Tier, number>;
  /** Cost relative to sending everything to the powerful tier (1 = no saving). */
  relativeCost: number;
}

export interface RouterEvaluation {
  examples: number;
  /** Classifier accuracy before the confidence fallback. */
  classifierAccuracy: number;
  /** confusion[label][routed tier] counts, after the fallback at the configured threshold. */
  confusion: Record<Tier, Record<Tier, number>>;
  threshold: number;
  routed: ThresholdPoint;
  /** Share routed to a cheaper tier than labelled (the quality risk). */
  underServed: number;
  costPerCall: { routed: number; allPowerful: number };
  curve: ThresholdPoint[];
}

const emptyMix = (): Record<Tier, number> => ({ fast: 0, mid: 0, powerful: 0 });

function pointAt(preds: readonly Prediction[], y: Uint8Array, threshold: number, lowTier: Tier, prices: TierPrices): ThresholdPoint & { confusion: Record<Tier, Record<Tier, number>> } {
  const confusion = { fast: emptyMix(), mid: emptyMix(), powerful: emptyMix() };
  const mix = emptyMix();
  let adequate = 0;
  let exact = 0;
  preds.forEach((p, i) => {
    const tier = decideFromPrediction(p, { confidenceThreshold: threshold, lowConfidenceTier: lowTier }).tier;
    const label = TIERS[y[i]!]!;
    confusion[label][tier]++;
    mix[tier]++;
    if (tierRank(tier) >= y[i]!) adequate++;
    if (tier === label) exact++;
  });
  const n = Math.max(1, preds.length);
  const cost = (mix.fast * prices.fast + mix.mid * prices.mid + mix.powerful * prices.powerful) / n;
  return {
    threshold,
    adequate: adequate / n,
    accuracy: exact / n,
    mix: { fast: mix.fast / n, mid: mix.mid / n, powerful: mix.powerful / n },
    relativeCost: prices.powerful > 0 ? cost / prices.powerful : 0,
    confusion,
  };
}

/**
 * Accuracy, confusion matrix, tier mix, cost against all-powerful, and the cost-quality curve as
 * the confidence threshold moves from 0 (always trust the classifier) to 1 (always the fallback).
 */
export function evaluateRouter(model: CompiledModel, data: TrainingMatrix, opts: { threshold: number; lowConfidenceTier: Tier; prices: TierPrices; curveSteps?: number }): RouterEvaluation {
  const preds: Prediction[] = [];
  let correct = 0;
  for (let i = 0; i < data.n; i++) {
    const p = model.predictFeatures(data.x.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT));
    preds.push({ ...p, probabilities: { ...p.probabilities } });
    if (p.tier === TIERS[data.y[i]!]) correct++;
  }
  const at = pointAt(preds, data.y, opts.threshold, opts.lowConfidenceTier, opts.prices);
  const steps = opts.curveSteps ?? 10;
  const curve = Array.from({ length: steps + 1 }, (_, s) => {
    const { confusion: _c, ...point } = pointAt(preds, data.y, s / steps, opts.lowConfidenceTier, opts.prices);
    return point;
  });
  let under = 0;
  for (const label of TIERS) for (const tier of TIERS) if (tierRank(tier) < tierRank(label)) under += at.confusion[label][tier];
  const { confusion, ...routed } = at;
  return {
    examples: data.n,
    classifierAccuracy: data.n === 0 ? 0 : correct / data.n,
    confusion,
    threshold: opts.threshold,
    routed,
    underServed: under / Math.max(1, data.n),
    costPerCall: { routed: routed.relativeCost * opts.prices.powerful, allPowerful: opts.prices.powerful },
    curve,
  };
}
