import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIServer } from '../support/wire/openai-server.js';
import { runCli } from '../support/cli.js';
import { InputError } from '../../src/errors.js';
import { startGateway } from '../../src/gateway/server.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';

const open = closeAfterEach();
const tenants = [{ id: 'acme', apiKeyEnv: 'ACME_GATEWAY_KEY' }, { id: 'beta', apiKeyEnv: 'BETA_GATEWAY_KEY' }];
const config = (more: Record<string, unknown> = {}) => splitConfig({ a: 'http://127.0.0.1:9/v1' }, { baseline: { upstream: 'a', weight: 100 } }, { tenants, ...more });

async function refusal(env: NodeJS.ProcessEnv): Promise<InputError> {
  const err = await startGateway({ config: parseGatewayConfig(config()), host: '127.0.0.1', port: 0, env }).then((gw) => open.gateway(gw), (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('tenant keys: a configured tenant without its own key stops the start', () => {
  it('an unset key variable names the tenant and the variable (never anonymous access)', async () => {
    const err = await refusal({ BETA_GATEWAY_KEY: 'sk-beta' });
    expect(err.exitCode).toBe(2);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ path: 'gateway.tenants[0].apiKeyEnv' });
    expect(err.message).toMatch(/tenant "acme": its API key variable ACME_GATEWAY_KEY is not set/);
  });

  it('every tenant without a key is listed: unset, empty and blank alike', async () => {
    const err = await refusal({ ACME_GATEWAY_KEY: '', BETA_GATEWAY_KEY: ' \n' });
    expect(err.issues.map((i) => i.path)).toEqual(['gateway.tenants[0].apiKeyEnv', 'gateway.tenants[1].apiKeyEnv']);
    expect(err.message).toMatch(/ACME_GATEWAY_KEY is empty/);
    expect(err.message).toMatch(/BETA_GATEWAY_KEY is empty/);
  });

  it('two tenants with the same key are refused (the key would name only one of them); the key is never printed', async () => {
    const err = await refusal({ ACME_GATEWAY_KEY: 'sk-shared', BETA_GATEWAY_KEY: 'sk-shared ' });
    expect(err.message).toMatch(/tenant "beta" has the same API key as tenant "acme" \(BETA_GATEWAY_KEY and ACME_GATEWAY_KEY\)/);
    expect(err.message).not.toContain('sk-shared');
  });

  it('with every key set, a request without or with a wrong key is 401 and the right key works (keys are trimmed)', async () => {
    const up = open.server(await startOpenAIServer({ handler: () => ({ text: 'ok' }) }));
    const gw = open.gateway(await startTestGateway(splitConfig({ a: up.url }, { baseline: { upstream: 'a', weight: 100 } }, { tenants }), { env: { ACME_GATEWAY_KEY: 'sk-acme\n', BETA_GATEWAY_KEY: 'sk-beta' } }));
    const anon = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(anon.status).toBe(401);
    expect((await fetch(`${gw.url}/v1/models`)).status).toBe(401);
    const client = (key: string) => new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    await expect(client('sk-other').chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 401 });
    expect((await client('sk-acme').chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })).choices[0]?.message.content).toBe('ok');
    expect(up.requestCount).toBe(1);
  });
});

describe('llmops gateway start with a tenant key unset (built CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'llmops-tenants-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 naming the file, line, tenant and variable, before opening the database', () => {
    writeFileSync(join(dir, 'llmops.yaml'), [
      'gateway:',
      '  tenants:',
      '    - { id: acme, apiKeyEnv: ACME_GATEWAY_KEY }',
      '  upstreams:',
      '    a: { type: sim, model: a }',
      '  deployments:',
      '    chat:',
      '      variants:',
      '        baseline: { upstream: a, weight: 100 }',
      '',
    ].join('\n'));
    // runCli merges over process.env: an explicit undefined leaves the variable unset in the child.
    const r = runCli(['--db', join(dir, 'gw.db'), 'gateway', 'start', '--port', '0'], { cwd: dir, env: { ACME_GATEWAY_KEY: undefined }, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/llmops\.yaml:3:\d+ \(gateway\.tenants\[0\]\.apiKeyEnv\): tenant "acme": its API key variable ACME_GATEWAY_KEY is not set/);
    expect(r.stderr).not.toMatch(/listening/);
    expect(existsSync(join(dir, 'gw.db'))).toBe(false); // refused before anything was opened
  });
});
