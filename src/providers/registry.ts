import { ModelSpecSchema, SimSettingsSchema, type LlmopsConfig, type ModelSpec } from '../config/schema.js';
import { InputError, MissingEnvError, type SourceLocation } from '../errors.js';
import type { Provider } from './types.js';

/** A model ref resolved to its spec: from `models:` in llmops.yaml or the `provider:model` shorthand. */
export interface ResolvedModel {
  ref: string;
  spec: ModelSpec;
  source: 'config' | 'shorthand';
}

const SHORTHAND = /^(openai|anthropic|sim|replay):(.+)$/;

/**
 * Resolves `ref`: a name under `models:`, or `openai:<model>`, `anthropic:<model>`,
 * `sim:<label>` (default simulator settings) or `replay:<recording file>`.
 *
 * @example resolveModelRef('openai:gpt-4o-mini', config).spec // { provider: 'openai', model: 'gpt-4o-mini', … }
 */
export function resolveModelRef(ref: string, config: Pick<LlmopsConfig, 'models'>, where: SourceLocation = { file: 'model ref' }): ResolvedModel {
  const named = config.models[ref];
  if (named) return { ref, spec: named, source: 'config' };
  const m = SHORTHAND.exec(ref);
  if (m) {
    const provider = m[1] as ModelSpec['provider'];
    const model = m[2]!;
    const spec = ModelSpecSchema.parse({
      provider, model,
      ...(provider === 'sim' ? { sim: SimSettingsSchema.parse({}) } : {}),
      ...(provider === 'replay' ? { recording: model } : {}),
    });
    return { ref, spec, source: 'shorthand' };
  }
  const known = Object.keys(config.models);
  // The advice is part of the issue itself: callers that merge issues from several refs keep it.
  throw InputError.at({ ...where, path: where.path ?? ref },
    `unknown model '${ref}'. Known models: ${known.length ? known.join(', ') : '(none under models: in llmops.yaml)'}; `
    + 'or use provider:model (openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest, sim:any-label, replay:<file>)',
    'Add the model under `models:` in llmops.yaml, or use the provider:model shorthand.');
}

/** The env variable holding the API key; none for a custom base URL without apiKeyEnv (local servers). */
export function apiKeyVariable(spec: ModelSpec): string | undefined {
  if (spec.apiKeyEnv) return spec.apiKeyEnv;
  if (spec.baseURL) return undefined;
  if (spec.provider === 'openai') return 'OPENAI_API_KEY';
  if (spec.provider === 'anthropic') return 'ANTHROPIC_API_KEY';
  return undefined;
}

/** Placeholder sent to OpenAI-compatible servers that need no key (Ollama, local vLLM). */
const NO_KEY = 'no-key-configured';

/**
 * Checks what a provider needs before any network call — the API key variable, the recording
 * file — and returns the API key to use. Throws MissingEnvError naming the variable.
 */
export function checkCredentials(resolved: ResolvedModel, env: NodeJS.ProcessEnv = process.env): { apiKey: string } {
  const { spec } = resolved;
  // A config file's models are checked when it is loaded (ModelSpecSchema), at the file's own
  // path and line; this only catches a spec built in code, which has no file to name.
  if (spec.provider === 'replay' && !spec.recording) {
    throw InputError.at({ file: 'model ref', path: `${resolved.ref}.recording` }, 'a replay model needs `recording: <file written by --record>`');
  }
  const variable = apiKeyVariable(spec);
  if (variable === undefined) return { apiKey: NO_KEY };
  const key = env[variable];
  if (!key) throw new MissingEnvError(variable, `model '${resolved.ref}' (${spec.provider} ${spec.model})`);
  return { apiKey: key };
}

export interface CreateProviderOptions {
  /** Append every completed call to this JSONL recording (`--record`). */
  record?: string | undefined;
}

/**
 * Builds the provider for a resolved model. The SDKs are imported here, lazily, so commands that
 * never call a real model (and `llmops --help`) never load them.
 */
export async function createProvider(resolved: ResolvedModel, env: NodeJS.ProcessEnv = process.env, opts: CreateProviderOptions = {}): Promise<Provider> {
  const { apiKey } = checkCredentials(resolved, env);
  const { ref, spec } = resolved;
  let provider: Provider;
  switch (spec.provider) {
    case 'openai': {
      const { OpenAIProvider } = await import('./openai.js');
      provider = new OpenAIProvider({ ref, model: spec.model, apiKey, baseURL: spec.baseURL, timeoutMs: spec.timeoutMs, stream: spec.stream });
      break;
    }
    case 'anthropic': {
      const { AnthropicProvider } = await import('./anthropic.js');
      provider = new AnthropicProvider({ ref, model: spec.model, apiKey, baseURL: spec.baseURL, timeoutMs: spec.timeoutMs, stream: spec.stream });
      break;
    }
    case 'sim': {
      const { SimProvider } = await import('./sim.js');
      provider = new SimProvider({ ref, model: spec.model, settings: spec.sim ?? SimSettingsSchema.parse({}) });
      break;
    }
    case 'replay': {
      const { ReplayProvider } = await import('./replay.js');
      provider = new ReplayProvider({ ref, model: spec.model, file: spec.recording! });
      break;
    }
  }
  if (opts.record) {
    const { RecordingProvider } = await import('./recorder.js');
    provider = new RecordingProvider(provider, opts.record, spec.model);
  }
  return provider;
}
