import { z } from 'zod';
import { parseDuration } from '../canary/duration.js';
import { EXPERIMENT_METRICS, PRIMARY_METRICS, type ExperimentSpec, type GuardrailSpec } from './types.js';

/**
 * Guardrails used when none are given, from the design's rollback targets: error rate +2
 * points, judge quality −5%, latency +50% (on the mean), hallucination rate +3 points.
 */
export const DEFAULT_GUARDRAILS: GuardrailSpec[] = [
  { metric: 'error_rate', margin: 0.02 },
  { metric: 'quality', margin: 0.05 },
  { metric: 'latency', margin: 0.5 },
  { metric: 'hallucination', margin: 0.03 },
];

const duration = z.string().refine((t) => parseDuration(t) !== undefined, 'a duration like 30s, 10m, 2h or 7d');

/** Body of POST /admin/deployments/:d/experiment (what `llmops ab start` sends). */
export const StartExperimentBody = z.strictObject({
  variants: z.strictObject({ A: z.string().min(1), B: z.string().min(1) }),
  /** Percent of traffic to B. */
  split: z.number().gt(0).lt(100).default(50),
  metric: z.enum(PRIMARY_METRICS).default('thumbs_up'),
  minSamples: z.number().int().min(0).default(1000),
  minDuration: duration.default('7d'),
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  guardrails: z.array(z.strictObject({ metric: z.enum(EXPERIMENT_METRICS), margin: z.number().min(0) })).optional(),
  guardrailAlpha: z.number().gt(0).lt(0.5).default(0.01),
  guardrailMinSamples: z.number().int().min(1).default(100),
});
export type StartExperimentInput = z.input<typeof StartExperimentBody>;

export function specFromBody(deployment: string, b: z.output<typeof StartExperimentBody>): ExperimentSpec {
  return {
    deployment, arms: { A: b.variants.A, B: b.variants.B }, splitB: b.split, primary: b.metric,
    guardrails: (b.guardrails ?? DEFAULT_GUARDRAILS).filter((g) => g.metric !== b.metric),
    minSamples: b.minSamples, minDurationMs: parseDuration(b.minDuration)!, alpha: b.alpha,
    guardrailAlpha: b.guardrailAlpha, guardrailMinSamples: b.guardrailMinSamples,
  };
}

export const StopExperimentBody = z.strictObject({
  winner: z.enum(['A', 'B']).optional(),
  reason: z.string().max(500).optional(),
  /** Promote a winner the data does not (yet) support. */
  force: z.boolean().default(false),
});
