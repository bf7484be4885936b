import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { validateYaml } from '../config/yaml-source.js';
import { DEFAULT_MODEL_FILE } from './load-model.js';
import { DEFAULT_POLICY, RoutingPolicySchema, type RoutingPolicy } from './policy.js';

/** The `router:` section of llmops.yaml, validated with file:line:col, and the model file it names. */
export function routingPolicyFrom(loaded: LoadedConfig): { policy: RoutingPolicy; modelFile: string } {
  const raw = loaded.config.router;
  if (raw === undefined || loaded.source === null) return { policy: DEFAULT_POLICY, modelFile: DEFAULT_MODEL_FILE };
  const policy = validateYaml({ ...loaded.source, data: raw }, RoutingPolicySchema, ['router']);
  return { policy, modelFile: policy.model === undefined ? DEFAULT_MODEL_FILE : resolve(loaded.dir, policy.model) };
}
