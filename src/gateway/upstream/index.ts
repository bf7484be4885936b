/** Creates upstreams by type from the gateway config (one file per type). */
import { MissingEnvError } from '../../errors.js';
import type { UpstreamConfig } from '../config.js';
import { AnthropicUpstream } from './anthropic.js';
import { OpenAIUpstream } from './openai.js';
import { SimUpstream } from './sim.js';
import type { Upstream } from './types.js';

export function createUpstream(name: string, cfg: UpstreamConfig, env: NodeJS.ProcessEnv = process.env): Upstream {
  const key = cfg.apiKeyEnv === undefined ? undefined : env[cfg.apiKeyEnv];
  if (cfg.apiKeyEnv !== undefined && !key) throw new MissingEnvError(cfg.apiKeyEnv, `gateway upstream ${name}`);
  switch (cfg.type) {
    case 'openai':
      return new OpenAIUpstream(name, cfg, key);
    case 'anthropic':
      return new AnthropicUpstream(name, cfg, key);
    case 'sim':
      return new SimUpstream(name, cfg);
  }
}
