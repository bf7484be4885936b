import { z } from 'zod';
import { validateYaml, type YamlSource } from '../config/yaml-source.js';
import { forwardIssues } from '../config/zod-issues.js';
import { METRICS, METRIC_NAMES, type MetricName } from './metrics.js';

const MetricPolicySchema = z.strictObject({
  /** Absolute floor (metrics where higher is better: passRate, judgeScore). */
  min: z.number().optional(),
  /** Absolute ceiling (rates to keep low, latency in ms, cost in USD per case). */
  max: z.number().optional(),
  /** Compare with the baseline (default true when a baseline is given). */
  compare: z.boolean().optional(),
  /**
   * Non-inferiority margin: how much worse than the baseline still passes. Points of a rate or
   * score (0.01 = 1 point) for passRate/judgeScore/hallucinationRate/errorRate; a fraction of the
   * baseline value (0.1 = 10%) for latency, TTFT and cost. `noise` (default): the A/A-calibrated
   * noise of this suite when stored, else the built-in default.
   */
  margin: z.union([z.number().nonnegative(), z.literal('noise')]).optional(),
  /** Fewer cases than this → inconclusive. */
  minSamples: z.number().int().positive().optional(),
  /** judgeScore only: name of the score to average. */
  scorer: z.string().min(1).optional(),
});
export type MetricPolicyInput = z.input<typeof MetricPolicySchema>;

/** Per metric, so a wrong-direction threshold is reported even when other keys are invalid too. */
function metricSchema(m: MetricName) {
  const checked = MetricPolicySchema.superRefine((p, ctx) => {
    // A min on a lower-is-better metric (or the reverse) is always a typo: say so at load time.
    if (METRICS[m].higherIsBetter && p.max !== undefined) ctx.addIssue({ code: 'custom', path: ['max'], message: `${m}: higher is better, so set \`min\`, not \`max\`` });
    if (!METRICS[m].higherIsBetter && p.min !== undefined) ctx.addIssue({ code: 'custom', path: ['min'], message: `${m}: lower is better, so set \`max\`, not \`min\`` });
    if (p.scorer !== undefined && m !== 'judgeScore') ctx.addIssue({ code: 'custom', path: ['scorer'], message: '`scorer` applies to judgeScore only' });
    // Rates and judge scores are shares from 0 to 1; latency (ms) and cost (USD) are never negative.
    const share = METRICS[m].unit === '%' || METRICS[m].unit === 'score';
    for (const key of ['min', 'max'] as const) {
      const v = p[key];
      if (v === undefined) continue;
      if (share && (v < 0 || v > 1)) ctx.addIssue({ code: 'custom', path: [key], message: `${m}.${key} is a share from 0 to 1 (0.92 = 92%), got ${v}` });
      if (!share && v < 0) ctx.addIssue({ code: 'custom', path: [key], message: `${m}.${key} cannot be negative (${METRICS[m].unit}), got ${v}` });
    }
    if (typeof p.margin === 'number' && METRICS[m].marginKind === 'absolute' && p.margin > 1) ctx.addIssue({ code: 'custom', path: ['margin'], message: `${m}.margin is in points of a 0–1 share (0.01 = 1 point), got ${p.margin}` });
  });
  // Not z.union: a union reports only "Invalid input" for the whole metric; forwarding the
  // object schema's own issues (codes kept, so an unknown key is reported at that key) keeps the
  // exact key path (e.g. gates.latencyP95.margin).
  return z.unknown().superRefine((v, ctx) => {
    if (v === undefined || v === false) return;
    const r = checked.safeParse(v);
    if (!r.success) forwardIssues(ctx, r.error);
  }).transform((v) => v as MetricPolicyInput | false | undefined).optional();
}

const metricShape = Object.fromEntries(METRIC_NAMES.map((m) => [m, metricSchema(m)])) as Record<MetricName, ReturnType<typeof metricSchema>>;

export const GatePolicySchema = z.strictObject({
  /** Two-sided confidence of the intervals; each one-sided test runs at (1 − confidence) / 2. */
  confidence: z.number().gt(0.5).lt(1).optional(),
  resamples: z.number().int().min(100).max(1_000_000).optional(),
  minSamples: z.number().int().positive().optional(),
  seed: z.union([z.number().int(), z.string()]).optional(),
  ...metricShape,
});
export type GatePolicyInput = {
  confidence?: number | undefined;
  resamples?: number | undefined;
  minSamples?: number | undefined;
  seed?: number | string | undefined;
} & { [M in MetricName]?: MetricPolicyInput | false | undefined };

export interface MetricPolicy {
  metric: MetricName;
  min: number | undefined;
  max: number | undefined;
  compare: boolean;
  margin: number | 'noise';
  minSamples: number;
  scorer: string | undefined;
}

export interface GatePolicy {
  confidence: number;
  resamples: number;
  minSamples: number;
  seed: number | string;
  metrics: MetricPolicy[];
}

/** Targets from DESIGN.md: accuracy > 92%, hallucination < 3%, P50 < 1.5 s, P95 < 4 s, P99 < 8 s. */
export const DEFAULT_THRESHOLDS: Partial<Record<MetricName, { min?: number; max?: number }>> = {
  passRate: { min: 0.92 },
  hallucinationRate: { max: 0.03 },
  latencyP50: { max: 1500 },
  latencyP95: { max: 4000 },
  latencyP99: { max: 8000 },
};

/**
 * Margins used for `margin: noise` when no A/A calibration is stored: one point for rates,
 * 0.02 on the 0..1 judge scale, 10% for latency and TTFT, 5% for cost.
 */
export const DEFAULT_NOISE: Record<MetricName, number> = {
  passRate: 0.01, judgeScore: 0.02, hallucinationRate: 0.01, errorRate: 0.01,
  latencyP50: 0.1, latencyP95: 0.1, latencyP99: 0.1, ttftP50: 0.1, ttftP95: 0.1, costPerCase: 0.05,
};

/**
 * Validates a raw `gates:` mapping. `src` and `keyPrefix` point errors at the right file, line
 * and key path when the mapping came from a YAML file (suite.yaml or llmops.yaml).
 */
export function parseGatePolicy(raw: unknown, src?: YamlSource, keyPrefix: PropertyKey[] = []): GatePolicyInput {
  const source: YamlSource = src ? { ...src, data: raw ?? {} } : { file: '(gate policy)', data: raw ?? {}, locate: () => ({}) };
  return validateYaml(source, GatePolicySchema, keyPrefix) as GatePolicyInput;
}

/**
 * Effective policy: built-in defaults, overridden per metric key by the project's `gates:`,
 * then by the suite's `gates:`. `false` switches a metric off.
 */
export function resolveGatePolicy(...layers: ReadonlyArray<GatePolicyInput | undefined>): GatePolicy {
  const top = { confidence: 0.95, resamples: 10_000, minSamples: 30, seed: 1 as number | string };
  const perMetric = new Map<MetricName, MetricPolicyInput | false>();
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.confidence !== undefined) top.confidence = layer.confidence;
    if (layer.resamples !== undefined) top.resamples = layer.resamples;
    if (layer.minSamples !== undefined) top.minSamples = layer.minSamples;
    if (layer.seed !== undefined) top.seed = layer.seed;
    for (const m of METRIC_NAMES) {
      const v = layer[m];
      if (v === undefined) continue;
      const prev = perMetric.get(m);
      perMetric.set(m, v === false ? false : { ...(prev || {}), ...v });
    }
  }
  const metrics: MetricPolicy[] = [];
  for (const m of METRIC_NAMES) {
    const p = perMetric.get(m);
    if (p === false) continue;
    const threshold = p && (p.min !== undefined || p.max !== undefined) ? { min: p.min, max: p.max } : DEFAULT_THRESHOLDS[m] ?? {};
    metrics.push({
      metric: m,
      min: threshold.min,
      max: threshold.max,
      compare: p?.compare ?? true,
      margin: p?.margin ?? 'noise',
      minSamples: p?.minSamples ?? top.minSamples,
      scorer: p?.scorer,
    });
  }
  return { ...top, metrics };
}
