import type { LoadedConfig } from '../config/load.js';
import { createProvider, resolveModelRef } from '../providers/registry.js';
import type { ProviderFactory } from './resolve.js';

/** Provider factory over the provider registry, for judge and pairwise-baseline model refs. */
export function registryProviders(loaded: Pick<LoadedConfig, 'config'>, env: NodeJS.ProcessEnv = process.env): ProviderFactory {
  return async (ref) => {
    const resolved = resolveModelRef(ref, loaded.config);
    return { provider: await createProvider(resolved, env), spec: resolved.spec };
  };
}
