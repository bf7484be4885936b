import { z } from 'zod';
import { TIERS } from './types.js';

/** A tenant/operation override: requests carrying any of `tags` (and from `tenant`, if set) go to `tier`. */
export const OverrideRuleSchema = z.strictObject({
  name: z.string().min(1).optional(),
  tags: z.array(z.string().min(1)).min(1, 'list at least one tag'),
  tenant: z.string().min(1).optional(),
  tier: z.enum(TIERS),
});
export type OverrideRule = z.output<typeof OverrideRuleSchema>;

export const UpgradeChecksSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Which cheap checks may send a fast-tier answer to the powerful tier. */
  checks: z.array(z.enum(['empty', 'refusal', 'invalid_json', 'judge'])).default(['empty', 'refusal', 'invalid_json']),
  /** Share of fast-tier answers the judge check samples (0 = never), by a hash of the request id. */
  judgeSampleRate: z.number().min(0).max(1).default(0),
  /** A sampled judge score under this (0–1 scale) fails the answer. */
  judgeThreshold: z.number().min(0).max(1).default(0.5),
});
export type UpgradeChecks = z.output<typeof UpgradeChecksSchema>;

/** The `router:` section of llmops.yaml (also what `routed` gateway deployments use). */
export const RoutingPolicySchema = z.strictObject({
  /** Model file, relative to llmops.yaml; default: the model shipped with llmops. */
  model: z.string().min(1).optional(),
  /** Below this calibrated confidence the request goes to `lowConfidenceTier`. */
  confidenceThreshold: z.number().min(0).max(1).default(0.7),
  lowConfidenceTier: z.enum(TIERS).default('mid'),
  overrides: z.array(OverrideRuleSchema).default([]),
  upgrade: UpgradeChecksSchema.default({ enabled: true, checks: ['empty', 'refusal', 'invalid_json'], judgeSampleRate: 0, judgeThreshold: 0.5 }),
});
export type RoutingPolicy = z.output<typeof RoutingPolicySchema>;

export const DEFAULT_POLICY: RoutingPolicy = RoutingPolicySchema.parse({});
