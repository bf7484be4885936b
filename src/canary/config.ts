import { z } from 'zod';
import type { LoadedConfig } from '../config/load.js';
import { validateYaml, type YamlSource } from '../config/yaml-source.js';
import { isSimJudgeRef } from '../judge/resolve.js';
import { resolveModelRef } from '../providers/registry.js';
import { CanaryPolicySchema, defaultPolicy, type CanaryPolicy } from './policy.js';

/**
 * The optional `canary:` section of llmops.yaml: rollback thresholds, windows, evaluation
 * interval (see policy.ts) and online evaluation. Every field has a default.
 *
 * @example
 * canary:
 *   errorRateIncrease: 0.02
 *   windowsMs: [30000, 300000]
 *   onlineEval: { share: 0.1, queueCapacity: 1000, judge: gpt-4o-mini, concurrency: 4 }
 */
export const CanaryConfigSchema = CanaryPolicySchema.extend({
  onlineEval: z.strictObject({
    /** Share of live responses judged (0 = off). */
    share: z.number().min(0).max(1).default(0),
    queueCapacity: z.number().int().positive().default(1000),
    /** The judge model ref (a `models:` name, provider:model, or sim:judge); default `judge.model`, else the sim judge. */
    judge: z.string().min(1).optional(),
    /** Judge calls in flight (each judged answer is one call, two with a context). */
    concurrency: z.number().int().positive().max(256).default(4),
  }).default({ share: 0, queueCapacity: 1000, concurrency: 4 }),
});

export interface CanaryConfig {
  policy: CanaryPolicy;
  onlineShare: number;
  onlineQueueCapacity: number;
  onlineConcurrency: number;
  /** `canary.onlineEval.judge`, checked to name a model; undefined when not set. */
  onlineJudge?: string;
}

export function canaryConfigFrom(loaded: LoadedConfig): CanaryConfig {
  const data = (loaded.source?.data as { canary?: unknown } | undefined)?.canary;
  if (!loaded.source || data === undefined) return { policy: defaultPolicy(), onlineShare: 0, onlineQueueCapacity: 1000, onlineConcurrency: 4 };
  const sub: YamlSource = { file: loaded.source.file, data, locate: loaded.source.locate };
  const { onlineEval, ...policy } = validateYaml(sub, CanaryConfigSchema, ['canary']);
  const judge = onlineEval.judge;
  if (judge !== undefined && !isSimJudgeRef(judge, loaded.config)) {
    const path = ['canary', 'onlineEval', 'judge'];
    resolveModelRef(judge, loaded.config, { file: loaded.source.file, ...loaded.source.locate(path), path: path.join('.') });
  }
  return {
    policy, onlineShare: onlineEval.share, onlineQueueCapacity: onlineEval.queueCapacity, onlineConcurrency: onlineEval.concurrency,
    ...(judge === undefined ? {} : { onlineJudge: judge }),
  };
}
