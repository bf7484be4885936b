import { z } from 'zod';
import type { LoadedConfig } from '../config/load.js';
import { validateYaml, type YamlSource } from '../config/yaml-source.js';
import { CanaryPolicySchema, defaultPolicy, type CanaryPolicy } from './policy.js';

/**
 * The optional `canary:` section of llmops.yaml: rollback thresholds, windows, evaluation
 * interval (see policy.ts) and online evaluation. Every field has a default.
 *
 * @example
 * canary:
 *   errorRateIncrease: 0.02
 *   windowsMs: [30000, 300000]
 *   onlineEval: { share: 0.1, queueCapacity: 1000 }
 */
export const CanaryConfigSchema = CanaryPolicySchema.extend({
  onlineEval: z.strictObject({
    /** Share of live responses judged (0 = off). */
    share: z.number().min(0).max(1).default(0),
    queueCapacity: z.number().int().positive().default(1000),
  }).default({ share: 0, queueCapacity: 1000 }),
});

export interface CanaryConfig {
  policy: CanaryPolicy;
  onlineShare: number;
  onlineQueueCapacity: number;
}

export function canaryConfigFrom(loaded: LoadedConfig): CanaryConfig {
  const data = (loaded.source?.data as { canary?: unknown } | undefined)?.canary;
  if (!loaded.source || data === undefined) return { policy: defaultPolicy(), onlineShare: 0, onlineQueueCapacity: 1000 };
  const sub: YamlSource = { file: loaded.source.file, data, locate: loaded.source.locate };
  const { onlineEval, ...policy } = validateYaml(sub, CanaryConfigSchema, ['canary']);
  return { policy, onlineShare: onlineEval.share, onlineQueueCapacity: onlineEval.queueCapacity };
}
