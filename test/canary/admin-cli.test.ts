import { Command, Option } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CanaryClient } from '../../src/canary/canary-client.js';
import { canarySetup } from '../../src/canary/gateway-setup.js';
import type { CanaryWiring } from '../../src/canary/gateway-wiring.js';
import { defaultPolicy } from '../../src/canary/policy.js';
import type { CanaryStatusView } from '../../src/canary/status-view.js';
import { registerCanaryCommands } from '../../src/cli/commands/canary.js';
import { LlmopsError } from '../../src/errors.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { closeAfterEach, splitConfig, startTestGateway } from '../gateway/helpers.js';
import { startOpenAIServer } from '../support/wire/openai-server.js';

const TOKEN = 'test-admin-token';
const close = closeAfterEach();

// The canary commands against a real gateway (its admin routes, bearer auth and canary wiring)
// over real upstream servers: what `llmops canary …` talks to in production.
let gw: RunningGateway;
let wiring: CanaryWiring;

beforeEach(async () => {
  const old = close.server(await startOpenAIServer({ handler: () => ({ text: 'fine' }) }));
  const next = close.server(await startOpenAIServer({ handler: () => ({ text: 'fine' }) }));
  gw = close.gateway(await startTestGateway(
    splitConfig({ old: old.url, new: next.url }, { baseline: { upstream: 'old', weight: 100 } }),
    { env: { LLMOPS_ADMIN_TOKEN: TOKEN }, setup: canarySetup({ policy: defaultPolicy(), onAttached: (w) => (wiring = w) }) },
  ));
  close.later(() => wiring.stop());
});
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.LLMOPS_ADMIN_TOKEN;
});

/** Percent of traffic per variant of `chat`, as the gateway routes it now. */
function weights(): Record<string, number> {
  return Object.fromEntries(gw.runtime.registry.get('chat')!.variants.map((v) => [v.name, v.weightBp / 100]));
}

/** Runs `llmops <args>` in-process through the real command module; returns stdout. */
async function cli(args: string[]): Promise<string> {
  const program = new Command('llmops').exitOverride()
    .addOption(new Option('--json')).addOption(new Option('--gateway <url>')).addOption(new Option('--db <path>'));
  registerCanaryCommands(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'llmops', '--gateway', gw.url, ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('canary CLI against a real gateway', () => {
  it('start, status (text and --json), pause, resume, abort', async () => {
    process.env.LLMOPS_ADMIN_TOKEN = TOKEN;
    const started = await cli(['canary', 'start', 'chat', '--candidate', 'new', '--stages', '10:30s,50:1m,100']);
    expect(started).toMatch(/^chat: new vs baseline · stage 10% \(10% → 50% → 100%\) · running · 30s left in stage/);
    expect(weights()).toEqual({ baseline: 90, new: 10 });

    const json = JSON.parse(await cli(['--json', 'canary', 'status', 'chat'])) as CanaryStatusView;
    expect(json).toMatchObject({ deployment: 'chat', candidate: 'new', baseline: 'baseline', stage: '10%', candidateWeight: 10, plan: '10:30s,50:1m,100:2d' });

    expect(await cli(['canary', 'pause', 'chat'])).toContain('PAUSED');
    expect(await cli(['canary', 'resume', 'chat'])).toContain('running');
    const aborted = await cli(['canary', 'abort', 'chat', '--reason', 'freeze']);
    expect(aborted).toContain('reason: freeze');
    expect(weights()).toEqual({ baseline: 100 }); // the aborted candidate left the deployment
    expect(wiring.controller.status('chat').events.map((e) => e.kind)).toEqual(['started', 'paused', 'resumed', 'aborted']);
    // The audit log names who acted: the operator for what they did, the controller for the weights it set.
    const audit = gw.runtime.registry.listEvents({ deployment: 'chat' });
    expect(audit.find((e) => e.type === 'canary_aborted')).toMatchObject({ actor: expect.stringMatching(/^cli:./), reason: expect.stringContaining('freeze') });
    expect(audit.find((e) => e.type === 'canary_weights')?.actor).toBe('canary-controller');
    expect(aborted).toMatch(/aborted .*freeze \(by cli:.+\)/);
  });

  it('watch without a TTY prints one plain line per poll and stops when the canary ends', async () => {
    process.env.LLMOPS_ADMIN_TOKEN = TOKEN;
    const c = new CanaryClient(gw.url, TOKEN);
    await c.call('start', 'chat', { candidate: 'new', stages: '5:1h,100' });
    await c.call('rollback', 'chat', { reason: 'manual test' });
    const out = await cli(['canary', 'watch', 'chat', '--interval', '0.05']);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/chat stage=rolled back weight=0% .* rolled_back: manual test/);
  });

  it('a bad plan exits 2 before any request; the gateway\'s 4xx answers are clear usage errors (exit 2)', async () => {
    process.env.LLMOPS_ADMIN_TOKEN = TOKEN;
    await expect(cli(['canary', 'start', 'chat', '--candidate', 'new', '--stages', '5:2y'])).rejects.toMatchObject({ exitCode: 2 });
    expect(weights()).toEqual({ baseline: 100 });
    await expect(cli(['canary', 'status', 'chat'])).rejects.toMatchObject({ exitCode: 2, message: 'no canary on deployment chat' });
    await expect(cli(['canary', 'status', 'nope'])).rejects.toMatchObject({ exitCode: 2, message: 'unknown deployment "nope"' });
    const c = new CanaryClient(gw.url, TOKEN);
    await c.call('start', 'chat', { candidate: 'new', stages: '5:1h,100' });
    await expect(c.call('start', 'chat', { candidate: 'x' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/already has a canary/) });
    await expect(c.call('start', 'chat', { candidat: 'x' } as unknown)).rejects.toThrow(/invalid body/);
    await expect(new CanaryClient(gw.url, 'wrong').call('status', 'chat')).rejects.toMatchObject({ exitCode: 2, status: 401, message: expect.stringMatching(/rejected the admin token/) });
    delete process.env.LLMOPS_ADMIN_TOKEN;
    await expect(cli(['canary', 'status', 'chat'])).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/requires an admin token and LLMOPS_ADMIN_TOKEN is not set/) });
  });

  it('pause, resume, abort, promote and rollback of an ended canary are conflicts (HTTP 409, exit 2) that change nothing; status still answers', async () => {
    process.env.LLMOPS_ADMIN_TOKEN = TOKEN;
    await cli(['canary', 'start', 'chat', '--candidate', 'new', '--stages', '10:30s,100']);
    await cli(['canary', 'abort', 'chat', '--reason', 'freeze']);
    const audit = gw.runtime.registry.listEvents({ deployment: 'chat' }).length;
    for (const action of ['pause', 'resume', 'abort']) {
      await expect(cli(['canary', action, 'chat'])).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^the canary on chat already ended \(aborted at \d{4}-\d\d-\d\dT[\d:.]+Z\); start a new one$/) });
    }
    for (const action of ['promote', 'rollback']) {
      const res = await fetch(`${gw.url}/admin/deployments/chat/canary/${action}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { message: string; hint: string } }).error).toMatchObject({ message: expect.stringMatching(/already ended \(aborted at/), hint: 'llmops canary start chat --candidate <model>' });
    }
    expect(gw.runtime.registry.listEvents({ deployment: 'chat' })).toHaveLength(audit);
    expect(weights()).toEqual({ baseline: 100 });
    expect(await cli(['canary', 'status', 'chat'])).toMatch(/reason: freeze/);
  });

  it('a completed canary leaves the new baseline and the warm old one only; its refusals point at llmops rollback', async () => {
    await fetch(`${gw.url}/admin/deployments/chat/variants`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'spare', upstream: 'old' }) });
    const c = new CanaryClient(gw.url, TOKEN);
    await c.call('start', 'chat', { candidate: 'new', stages: '10:1h,100:1h' });
    const done = await c.call('promote', 'chat');
    expect(done).toMatchObject({ phase: 'completed', traffic: { new: 100 } });
    // The old baseline stays warm (routable by `llmops rollback`); the 0% leftover "spare" is gone.
    expect(gw.runtime.registry.get('chat')!.variants.map((v) => [v.name, v.role, v.weightBp / 100])).toEqual([['baseline', 'warm', 0], ['new', 'baseline', 100]]);
    const removed = gw.runtime.registry.listEvents({ deployment: 'chat' }).filter((e) => e.type === 'variant_removed');
    expect(removed).toMatchObject([{ actor: 'canary-controller', detail: { variant: 'spare' } }]);
    await expect(c.call('rollback', 'chat')).rejects.toMatchObject({ exitCode: 2, hint: expect.stringContaining('llmops rollback chat') });

    // A later canary that is aborted in its 0% shadow stage does not undo that promote.
    await c.call('start', 'chat', { candidate: 'old', stages: 'shadow:1h,100' });
    await c.call('abort', 'chat', { reason: 'changed my mind' });
    expect(gw.runtime.registry.get('chat')!.variants.map((v) => [v.name, v.role, v.weightBp / 100])).toEqual([['baseline', 'warm', 0], ['new', 'baseline', 100]]);
  });

  it('refuses to start while another candidate serves traffic (a canary compares with the baseline alone)', async () => {
    await fetch(`${gw.url}/admin/deployments/chat/variants`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'split', upstream: 'old', weight: 5 }) });
    const c = new CanaryClient(gw.url, TOKEN);
    await expect(c.call('start', 'chat', { candidate: 'new' })).rejects.toMatchObject({ exitCode: 2, message: 'deployment chat already sends traffic to split (5%); a canary compares its candidate with the baseline alone' });
    expect(weights()).toEqual({ baseline: 95, split: 5 });
  });

  it('an unreachable gateway is a remote error (exit 3)', async () => {
    const err = await new CanaryClient('http://127.0.0.1:1', TOKEN).call('status', 'chat').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmopsError);
    expect((err as LlmopsError).exitCode).toBe(3);
  });
});
