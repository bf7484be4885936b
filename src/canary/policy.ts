import { z } from 'zod';

/**
 * Rollback triggers and advance checks. Defaults follow DESIGN.md: error rate +2 points, quality
 * −5%, P95 latency +50%, hallucination rate +3 points, against the baseline.
 */
export const CanaryPolicySchema = z.strictObject({
  /** Absolute increase in error rate (0.02 = 2 points) that triggers a rollback. */
  errorRateIncrease: z.number().min(0).max(1).default(0.02),
  /** Relative drop of the mean quality score (0.05 = 5%). */
  qualityDrop: z.number().min(0).max(1).default(0.05),
  /** Relative increase of P95 latency (0.5 = +50%). */
  p95LatencyIncrease: z.number().min(0).default(0.5),
  /** Absolute increase in hallucination rate (0.03 = 3 points). */
  hallucinationRateIncrease: z.number().min(0).max(1).default(0.03),
  /**
   * Significance of every rollback test: the one-sided level of each window test (small: several
   * windows and metrics are tested every few seconds), and for the sequential error-rate test the
   * bound on P(a candidate no worse than the baseline is rolled back within sequentialHorizonMs).
   */
  alpha: z.number().gt(0).lt(1).default(0.01),
  /** Significance level of the non-inferiority tests needed to leave a significance stage. */
  advanceAlpha: z.number().gt(0).lt(1).default(0.05),
  /** Requests per variant and window before error-rate and latency tests run. */
  minRequests: z.number().int().positive().default(50),
  /** Judged responses per variant and window before quality and hallucination tests run. */
  minJudged: z.number().int().positive().default(30),
  /** Sliding windows (ms) evaluated; a short one reacts fast, a long one sees small shifts. */
  windowsMs: z.array(z.number().int().positive()).min(1).default([30_000, 300_000]),
  /** Stages at or above this weight need a significant non-inferiority result to advance. */
  significanceFromWeight: z.number().min(0).max(100).default(50),
  /** Horizon of the sequential error-rate test's bound; its threshold grows with horizon / intervalMs. */
  sequentialHorizonMs: z.number().int().positive().default(86_400_000),
  /**
   * Consecutive evaluations a window trigger (latency, quality, hallucination) must hold before
   * the rollback. Testing every few seconds multiplies the chances of a fluke; asking for a
   * second look costs one interval. The sequential error-rate test needs none.
   */
  confirmations: z.number().int().positive().default(2),
  /** How often the controller evaluates (ms). */
  intervalMs: z.number().int().positive().default(5_000),
});
export type CanaryPolicy = z.output<typeof CanaryPolicySchema>;

export function defaultPolicy(overrides: Partial<CanaryPolicy> = {}): CanaryPolicy {
  return CanaryPolicySchema.parse(overrides);
}
