import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { ExitCode, InputError, MissingEnvError } from '../../src/errors.js';
import { AnthropicProvider } from '../../src/providers/anthropic.js';
import { OpenAIProvider } from '../../src/providers/openai.js';
import { RecordingProvider } from '../../src/providers/recorder.js';
import { apiKeyVariable, checkCredentials, createProvider, resolveModelRef } from '../../src/providers/registry.js';
import { ReplayProvider } from '../../src/providers/replay.js';
import { SimProvider } from '../../src/providers/sim.js';

const config = ConfigSchema.parse({
  models: {
    'demo-fast': { provider: 'sim', model: 'simulated-fast', sim: { accuracy: 0.8, seed: 3 } },
    'gpt-mini': { provider: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'MY_OPENAI_KEY' },
    'local-llama': { provider: 'openai', model: 'llama3.1:8b', baseURL: 'http://127.0.0.1:11434/v1' },
    'claude': { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
  },
});

describe('resolveModelRef', () => {
  it('resolves names from models:', () => {
    const r = resolveModelRef('gpt-mini', config);
    expect(r).toMatchObject({ ref: 'gpt-mini', source: 'config', spec: { provider: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'MY_OPENAI_KEY' } });
  });

  it('resolves provider:model shorthands with schema defaults', () => {
    expect(resolveModelRef('openai:gpt-4o-mini', config)).toMatchObject({ source: 'shorthand', spec: { provider: 'openai', model: 'gpt-4o-mini', timeoutMs: 60_000, maxRetries: 4 } });
    expect(resolveModelRef('anthropic:claude-3-5-sonnet-latest', config).spec).toMatchObject({ provider: 'anthropic', model: 'claude-3-5-sonnet-latest' });
    expect(resolveModelRef('sim:anything', config).spec).toMatchObject({ provider: 'sim', model: 'anything', sim: { accuracy: 0.9, errorRate: 0, noise: 0 } });
    expect(resolveModelRef('replay:rec/run.jsonl', config).spec).toMatchObject({ provider: 'replay', recording: 'rec/run.jsonl' });
  });

  it('an unknown ref is an input error (exit 2) naming it and listing the known names', () => {
    let err: unknown;
    try { resolveModelRef('gpt-5-turbo', config); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toContain("unknown model 'gpt-5-turbo'");
    for (const name of ['demo-fast', 'gpt-mini', 'local-llama', 'claude']) expect(e.message).toContain(name);
    expect(e.issues[0]!.message).toContain('openai:gpt-4o-mini');
    expect(() => resolveModelRef('mistral:large', config)).toThrow(InputError);
  });
});

describe('credentials and provider creation', () => {
  it('default key variables: OPENAI_API_KEY / ANTHROPIC_API_KEY; none for a custom base URL without apiKeyEnv', () => {
    expect(apiKeyVariable(resolveModelRef('openai:gpt-4o-mini', config).spec)).toBe('OPENAI_API_KEY');
    expect(apiKeyVariable(resolveModelRef('claude', config).spec)).toBe('ANTHROPIC_API_KEY');
    expect(apiKeyVariable(resolveModelRef('gpt-mini', config).spec)).toBe('MY_OPENAI_KEY');
    expect(apiKeyVariable(resolveModelRef('local-llama', config).spec)).toBeUndefined();
    expect(apiKeyVariable(resolveModelRef('demo-fast', config).spec)).toBeUndefined();
  });

  it('a missing key is a MissingEnvError naming the variable, before any network call', async () => {
    const r = resolveModelRef('gpt-mini', config);
    expect(() => checkCredentials(r, {})).toThrow(MissingEnvError);
    await expect(createProvider(r, { MY_OPENAI_KEY: '' })).rejects.toMatchObject({ variable: 'MY_OPENAI_KEY', exitCode: ExitCode.usage });
    await expect(createProvider(resolveModelRef('anthropic:claude-x', config), {})).rejects.toThrow(/ANTHROPIC_API_KEY/);
    expect(checkCredentials(r, { MY_OPENAI_KEY: 'sk-1' })).toEqual({ apiKey: 'sk-1' });
  });

  it('creates the provider for each kind, with connection keys per upstream', async () => {
    const gpt = await createProvider(resolveModelRef('gpt-mini', config), { MY_OPENAI_KEY: 'sk-1' });
    expect(gpt).toBeInstanceOf(OpenAIProvider);
    expect(gpt.synthetic).toBe(false);
    expect(gpt.connectionKey).toBe('openai:https://api.openai.com/v1');
    const local = await createProvider(resolveModelRef('local-llama', config), {});
    expect(local.connectionKey).toBe('openai:http://127.0.0.1:11434/v1');
    expect(await createProvider(resolveModelRef('claude', config), { ANTHROPIC_API_KEY: 'k' })).toBeInstanceOf(AnthropicProvider);
    const sim = await createProvider(resolveModelRef('demo-fast', config), {});
    expect(sim).toBeInstanceOf(SimProvider);
    expect(sim.synthetic).toBe(true);
    expect(sim.ref).toBe('demo-fast');
  });

  it('replay needs an existing, well-formed recording; --record wraps any provider', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmops-reg-'));
    await expect(createProvider(resolveModelRef(`replay:${join(dir, 'missing.jsonl')}`, config), {})).rejects.toThrow(/recording file not found/);
    const file = join(dir, 'rec.jsonl');
    writeFileSync(file, '');
    expect(await createProvider(resolveModelRef(`replay:${file}`, config), {})).toBeInstanceOf(ReplayProvider);
    const wrapped = await createProvider(resolveModelRef('demo-fast', config), {}, { record: join(dir, 'out.jsonl') });
    expect(wrapped).toBeInstanceOf(RecordingProvider);
    expect(wrapped).toMatchObject({ ref: 'demo-fast', synthetic: true, connectionKey: 'sim:demo-fast' });
  });
});
