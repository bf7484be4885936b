import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayBaseUrl } from '../../src/admin-client/client.js';
import { UsageError } from '../../src/errors.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { runCli, runCliAsync, type CliResult } from '../support/cli.js';
import { splitConfig, startTestGateway } from './helpers.js';

// Needs the built CLI (`npm run build`; `npm test` builds first).
const TOKEN = 'cli-input-token';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llmops-cli-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The built CLI in a child process, without blocking this process (which may be serving the gateway it calls). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = runCliAsync(args, { cwd: dir, env: { LLMOPS_ADMIN_TOKEN: TOKEN, LLMOPS_GATEWAY_URL: undefined, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('gatewayBaseUrl', () => {
  it('keeps http(s)://host:port, drops a trailing /v1 and slashes, keeps a proxy prefix', () => {
    expect(gatewayBaseUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(gatewayBaseUrl('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(gatewayBaseUrl('http://127.0.0.1:8787/v1')).toBe('http://127.0.0.1:8787');
    expect(gatewayBaseUrl(' https://gw.example.com/v1/ ')).toBe('https://gw.example.com');
    expect(gatewayBaseUrl('https://example.com/llm-gateway/v1')).toBe('https://example.com/llm-gateway');
    expect(gatewayBaseUrl('http://[::1]:8787')).toBe('http://[::1]:8787');
  });

  it.each(['127.0.0.1:18200', 'localhost:18200', 'ftp://127.0.0.1:18200', 'http://', 'gateway'])('%s is a usage error (exit 2) asking for http(s)://host:port', (raw) => {
    let err: unknown;
    try {
      gatewayBaseUrl(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toMatch(/must be an http\(s\):\/\/host:port URL/);
  });
});

describe('--gateway URL checks, the same in every admin command (built CLI)', () => {
  let gw: RunningGateway;
  let port: number;
  beforeAll(async () => {
    gw = await startTestGateway(splitConfig({ a: 'http://127.0.0.1:9/v1' }, { baseline: { upstream: 'a', weight: 100 } }), { env: { LLMOPS_ADMIN_TOKEN: TOKEN } });
    port = gw.port;
  });
  afterAll(() => gw.shutdown(1000));

  it.each([
    [['deployments', 'list']],
    [['deployments', 'show', 'chat']],
    [['promote', 'chat', '--yes']],
    [['rollback', 'chat', '--yes']],
    [['canary', 'status', 'chat']],
    [['ab', 'status', 'chat']],
  ])('%j without a scheme: exit 2 with the expected form, no internal error', async (args) => {
    const r = await cli(['--gateway', `127.0.0.1:${port}`, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`must be an http(s)://host:port URL, got "127.0.0.1:${port}" (did you mean http://127.0.0.1:${port}?)`);
    expect(r.stderr).not.toMatch(/internal error|unreachable/);
  });

  it('LLMOPS_GATEWAY_URL is checked the same way', async () => {
    const r = await cli(['deployments', 'list'], { LLMOPS_GATEWAY_URL: `localhost:${port}` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/must be an http\(s\):\/\/host:port URL/);
  });

  it('the OpenAI base URL (…/v1) works: deployments list and rollback reach the admin API', async () => {
    const list = await cli(['--gateway', `http://127.0.0.1:${port}/v1`, 'deployments', 'list']);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('chat');
    const rb = await cli(['rollback', 'chat', '--yes'], { LLMOPS_GATEWAY_URL: `http://127.0.0.1:${port}/v1/` });
    expect(rb.code).toBe(0);
    expect(rb.stdout).toContain('reason: manual rollback from the CLI');
  });

  it('a URL with some other path says to pass the gateway root', async () => {
    const r = await cli(['--gateway', `http://127.0.0.1:${port}/api`, 'deployments', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no route GET \/api\/admin\/deployments .*root URL/);
  });
});

describe('input checks of gateway start and demo canary (built CLI)', () => {
  it('gateway start without llmops.yaml says the file was not found and how to pass --config', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const r = runCli(['gateway', 'start', '--port', '0'], { cwd: empty, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(empty, 'llmops.yaml')}: config file not found`);
    expect(r.stderr).toContain('--config <file>');
    expect(r.stderr).not.toMatch(/no gateway: section/);
  });

  it('gateway start with a config that has no gateway: section names the file and the section', () => {
    const d = mkdtempSync(join(dir, 'nogw-'));
    writeFileSync(join(d, 'llmops.yaml'), 'models:\n  m: { provider: sim, model: m }\n');
    const r = runCli(['gateway', 'start', '--port', '0'], { cwd: d, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(d, 'llmops.yaml')} (gateway): no gateway: section in the config`);
  });

  it('demo canary --degrade-after abc is a usage error (exit 2) before anything starts', () => {
    const r = runCli(['demo', 'canary', '--degrade-after', 'abc'], { cwd: dir, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--degrade-after.*'abc' is invalid.*seconds/);
    expect(r.stdout).toBe('');
    expect(runCli(['demo', 'canary', '--degrade-after', '-1'], { cwd: dir, timeoutMs: 20_000 }).code).toBe(2);
  });
});
