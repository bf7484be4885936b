import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command, Option } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CANARY_ACTIONS, handleCanaryAdmin, type CanaryAction } from '../../src/canary/admin-handlers.js';
import { CanaryClient } from '../../src/canary/canary-client.js';
import { CanaryController } from '../../src/canary/controller.js';
import { InProcessWindows } from '../../src/canary/in-process-windows.js';
import { MemoryCanaryStore, MemoryTrafficControl } from '../../src/canary/memory-traffic.js';
import { defaultPolicy } from '../../src/canary/policy.js';
import type { CanaryStatusView } from '../../src/canary/status-view.js';
import { registerCanaryCommands } from '../../src/cli/commands/canary.js';
import { LlmopsError } from '../../src/errors.js';

const TOKEN = 'test-admin-token';

/** A real HTTP server exposing the canary admin routes the way the gateway mounts them. */
function adminServer(controller: CanaryController): Server {
  return createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: 'missing or wrong bearer token' });
    const m = /^\/admin\/deployments\/([^/]+)\/canary(?:\/([a-z]+))?$/.exec(req.url ?? '');
    if (!m) return send(404, { error: 'no route' });
    const action = (m[2] ?? (req.method === 'GET' ? 'status' : 'start')) as CanaryAction;
    if (!CANARY_ACTIONS.includes(action)) return send(404, { error: 'no route' });
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const r = handleCanaryAdmin(controller, action, decodeURIComponent(m[1]!), raw === '' ? undefined : JSON.parse(raw));
      send(r.status, r.body);
    });
  });
}

let server: Server;
let url: string;
let traffic: MemoryTrafficControl;
let controller: CanaryController;

beforeEach(async () => {
  traffic = new MemoryTrafficControl({ chat: 'old' });
  controller = new CanaryController({ traffic, metrics: new InProcessWindows(60_000), store: new MemoryCanaryStore(), policy: defaultPolicy() });
  server = adminServer(controller);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Runs `llmops <args>` in-process through the real command module; returns stdout. */
async function cli(args: string[]): Promise<string> {
  const program = new Command('llmops').exitOverride()
    .addOption(new Option('--json')).addOption(new Option('--gateway <url>')).addOption(new Option('--db <path>'));
  registerCanaryCommands(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'llmops', '--gateway', url, ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('canary admin API and CLI over real HTTP', () => {
  it('start, status (text and --json), pause, resume, abort', async () => {
    process.env.LLMOPS_ADMIN_TOKEN = TOKEN;
    const started = await cli(['canary', 'start', 'chat', '--candidate', 'new', '--stages', '10:30s,50:1m,100']);
    expect(started).toMatch(/^chat: new vs old · stage 10% \(10% → 50% → 100%\) · running · 30s left in stage/);
    expect(traffic.weights.get('chat')).toEqual({ old: 90, new: 10 });

    const json = JSON.parse(await cli(['--json', 'canary', 'status', 'chat'])) as CanaryStatusView;
    expect(json).toMatchObject({ deployment: 'chat', candidate: 'new', baseline: 'old', stage: '10%', candidateWeight: 10, plan: '10:30s,50:1m,100:2d' });

    expect(await cli(['canary', 'pause', 'chat'])).toContain('PAUSED');
    expect(await cli(['canary', 'resume', 'chat'])).toContain('running');
    const aborted = await cli(['canary', 'abort', 'chat', '--reason', 'freeze']);
    expect(aborted).toContain('reason: freeze');
    expect(traffic.weights.get('chat')).toEqual({ old: 100, new: 0 });
    expect(traffic.events.map((e) => e.kind)).toEqual(['started', 'paused', 'resumed', 'aborted']);
  });

  it('watch without a TTY prints one plain line per poll and stops when the canary ends', async () => {
    const c = new CanaryClient(url, TOKEN);
    await c.call('start', 'chat', { candidate: 'new', stages: '5:1h,100' });
    await c.call('rollback', 'chat', { reason: 'manual test' });
    const out = await cli(['canary', 'watch', 'chat', '--interval', '0.05']);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/chat stage=rolled back weight=0% .* rolled_back: manual test/);
  });

  it('a bad plan exits 2 before any request; HTTP errors map to usage (2) / not found', async () => {
    process.env.LLMOPS_ADMIN_TOKEN = TOKEN;
    await expect(cli(['canary', 'start', 'chat', '--candidate', 'new', '--stages', '5:2y'])).rejects.toMatchObject({ exitCode: 2 });
    expect(traffic.events).toHaveLength(0);
    await expect(cli(['canary', 'status', 'nope'])).rejects.toThrow(/no canary on deployment nope/);
    const c = new CanaryClient(url, TOKEN);
    await c.call('start', 'chat', { candidate: 'new', stages: '5:1h,100' });
    await expect(c.call('start', 'chat', { candidate: 'x' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/already has a canary/) });
    await expect(c.call('start', 'chat', { candidat: 'x' } as unknown)).rejects.toThrow(/invalid body/);
    await expect(new CanaryClient(url, 'wrong').call('status', 'chat')).rejects.toMatchObject({ exitCode: 2, status: 401 });
  });

  it('an unreachable gateway is a remote error (exit 3)', async () => {
    const err = await new CanaryClient('http://127.0.0.1:1', TOKEN).call('status', 'chat').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmopsError);
    expect((err as LlmopsError).exitCode).toBe(3);
  });
});
