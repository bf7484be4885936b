import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/admin-client/client.js';
import { CanaryClient } from '../../src/canary/canary-client.js';
import { canarySetup } from '../../src/canary/gateway-setup.js';
import type { CanaryWiring } from '../../src/canary/gateway-wiring.js';
import { defaultPolicy } from '../../src/canary/policy.js';
import type { CanaryStatusView } from '../../src/canary/status-view.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { openGatewayDb, splitConfig, startTestGateway } from '../gateway/helpers.js';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';

// Seconds-long stages and a 200 ms evaluation interval over a real gateway, real upstream
// servers speaking the OpenAI wire protocol and real HTTP clients.
const policy = defaultPolicy({ windowsMs: [1500, 4000], intervalMs: 200, minRequests: 20 });
const TOKEN = 'e2e-token';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A gateway database file in a temp folder removed after the test (state that must survive a restart). */
function tempDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmops-canary-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'gw.db');
}

async function upstreams(): Promise<{ old: WireServer; next: WireServer }> {
  const old = await startOpenAIServer({ handler: () => ({ text: 'fine', headersDelayMs: 2 }) });
  const next = await startOpenAIServer({ handler: () => ({ text: 'fine', headersDelayMs: 2 }) });
  cleanup.push(() => old.close(), () => next.close());
  return { old, next };
}

async function gateway(up: { old: WireServer; next: WireServer }, dbPath?: string): Promise<{ gw: RunningGateway; wiring: CanaryWiring }> {
  let wiring: CanaryWiring | undefined;
  const db = dbPath ? openGatewayDb(dbPath) : undefined;
  const config = splitConfig({ old: up.old.url, next: up.next.url }, { baseline: { upstream: 'old', weight: 100 } }, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  const gw = await startTestGateway(config, {
    env: { LLMOPS_ADMIN_TOKEN: TOKEN },
    ...(db ? { db } : {}),
    setup: canarySetup({ policy, ...(db ? { db } : {}), onAttached: (w) => (wiring = w) }),
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    wiring?.stop();
    await gw.shutdown(100);
    db?.close();
  };
  cleanup.push(close);
  (gw as { close?: () => Promise<void> }).close = close;
  return { gw, wiring: wiring! };
}

/** Sends requests from many users (sticky split) until `done` says stop; concurrency 8. */
async function drive(url: string, done: () => boolean, maxMs: number): Promise<number> {
  const start = Date.now();
  let n = 0;
  const worker = async (w: number) => {
    while (!done() && Date.now() - start < maxMs) {
      const i = n++;
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat', user: `u${w}-${i}`, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
  return n;
}

const ended = (v: CanaryStatusView) => v.phase === 'completed' || v.phase === 'rolled_back' || v.phase === 'aborted';

describe('canary end to end through the gateway', () => {
  it('a healthy candidate walks through every stage to 100% and becomes the baseline', async () => {
    const up = await upstreams();
    const { gw, wiring } = await gateway(up);
    const client = new CanaryClient(gw.url, TOKEN);
    await client.call('start', 'chat', { candidate: 'next', stages: '10:1s,30:1s,50:2s,100:1m' });
    await drive(gw.url, () => ended(wiring.controller.status('chat')), 40_000);
    const st = await client.call('status', 'chat');
    expect(st.phase).toBe('completed');
    expect(st.events.map((e) => e.message)).toEqual([
      'canary of next started at 10%', 'advanced from 10% to 30%', 'advanced from 30% to 50%', 'promoted next to 100%; baseline kept warm',
    ]);
    // What a completed canary leaves: the new baseline and the old one kept warm, nothing else.
    const dep = gw.runtime.registry.get('chat')!;
    expect(dep.variants.map((v) => [v.name, v.role, v.weightBp])).toEqual([['baseline', 'warm', 0], ['next', 'baseline', 10_000]]);
    // Warm for the plan's keep-warm time (100:1m), as the canary's status says, not keepWarmHours.
    const warmUntil = dep.variants.find((v) => v.name === 'baseline')!.warmUntil!;
    expect(Math.abs(warmUntil - st.warmUntil!)).toBeLessThan(1000);
    expect(warmUntil - Date.now()).toBeLessThanOrEqual(60_000);
    expect(up.next.requestCount).toBeGreaterThan(20);
    const types = gw.runtime.registry.listEvents({ deployment: 'chat' }).map((e) => e.type);
    expect(types).toContain('canary_completed');
  });

  it.each([
    ['error rate', () => ({ status: 500 }), 'error_rate'],
    ['P95 latency', () => ({ text: 'slow', headersDelayMs: 300 }), 'p95_latency'],
  ] as const)('a candidate whose %s degrades is rolled back by the controller, trigger named', async (_n, bad, metric) => {
    const up = await upstreams();
    const { gw, wiring } = await gateway(up);
    const client = new CanaryClient(gw.url, TOKEN);
    await client.call('start', 'chat', { candidate: 'next', stages: '30:1h,100' });
    // Healthy for a moment, then the candidate degrades.
    setTimeout(() => up.next.setHandler(bad), 700);
    await drive(gw.url, () => ended(wiring.controller.status('chat')), 40_000);
    const st = await client.call('status', 'chat');
    expect(st.phase).toBe('rolled_back');
    expect(st.reason).toMatch(new RegExp(`^${metric} `));
    // All traffic on the baseline, and the rolled-back candidate left the deployment.
    expect(gw.runtime.registry.get('chat')!.variants.map((v) => [v.name, v.role, v.weightBp])).toEqual([['baseline', 'baseline', 10_000]]);
    const ev = gw.runtime.registry.listEvents({ deployment: 'chat' }).find((e) => e.type === 'canary_rolled_back')!;
    expect((ev.detail.evidence as Array<{ metric: string; status: string }>)[0]).toMatchObject({ metric, status: 'breach' });
  });

  it('a shadow stage mirrors live requests to the candidate, never answers a user with it, and advances on what it measured', async () => {
    const up = await upstreams();
    up.next.setHandler(() => ({ text: 'candidate answer', headersDelayMs: 2 }));
    const { gw, wiring } = await gateway(up);
    const client = new CanaryClient(gw.url, TOKEN);
    await client.call('start', 'chat', { candidate: 'next', stages: 'shadow:2s,50:1h,100' });
    expect(wiring.controller.status('chat').mirror).toBe(true);
    const seen = new Set<string>();
    const answers = new Set<string>();
    let i = 0;
    while (wiring.controller.status('chat').mirror && i < 2000) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat', user: `shadow-user-${i++}`, messages: [{ role: 'user', content: 'hi' }] }),
      });
      const answer = ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
      // The stage may have advanced while this request was in flight, and then the candidate may
      // rightly answer it; still mirroring after the answer means it was routed in the shadow stage.
      if (!wiring.controller.status('chat').mirror) break;
      seen.add(res.headers.get('x-llmops-variant') ?? '');
      answers.add(answer);
    }
    expect(seen).toEqual(new Set(['baseline'])); // no user was answered by the candidate
    expect(answers).toEqual(new Set(['fine']));
    expect(up.next.requestCount).toBeGreaterThanOrEqual(20); // yet it answered mirrored copies…
    const st = await client.call('status', 'chat');
    expect(st.stage).toBe('50%'); // …and the controller measured them enough to leave the shadow stage
    const logged = gw.runtime.registry.listEvents({ deployment: 'chat' }).map((e) => e.type);
    expect(logged).toContain('canary_advanced');
  });

  it('thumbs count one rating per answer: a candidate answer rated 5× up then down is one 👎', async () => {
    const up = await upstreams();
    const { gw, wiring } = await gateway(up);
    await new CanaryClient(gw.url, TOKEN).call('start', 'chat', { candidate: 'next', stages: '50:1h,100' });
    let id = '';
    for (let i = 0; i < 200 && id === ''; i++) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat', user: `rater-${i}`, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await res.arrayBuffer();
      if (res.headers.get('x-llmops-variant') === 'next') id = res.headers.get('x-llmops-request-id')!;
    }
    expect(id).not.toBe('');
    for (const rating of ['up', 'up', 'up', 'up', 'up', 'down']) {
      const r = await fetch(`${gw.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: id, rating }) });
      expect(r.status).toBe(202);
    }
    const snap = wiring.windows.snapshotSync({ deployment: 'chat', variant: 'candidate', windowMs: policy.windowsMs[1]!, nowMs: Date.now() + 1 });
    expect(snap.thumbs).toEqual({ n: 1, up: 0 });
  });

  it('a gateway restart mid-canary resumes the canary where it was', async () => {
    const dbPath = tempDbPath();
    const up = await upstreams();
    const first = await gateway(up, dbPath);
    const c1 = new CanaryClient(first.gw.url, TOKEN);
    await c1.call('start', 'chat', { candidate: 'next', stages: '10:1s,40:1h,100' });
    await drive(first.gw.url, () => first.wiring.controller.status('chat').stage === '40%', 15_000);
    const before = await c1.call('status', 'chat');
    expect(before.stage).toBe('40%');
    await (first.gw as unknown as { close: () => Promise<void> }).close();

    const second = await gateway(up, dbPath);
    const after = await new CanaryClient(second.gw.url, TOKEN).call('status', 'chat');
    expect(after).toMatchObject({ stage: '40%', phase: 'stage', candidateWeight: 40, startedAt: before.startedAt });
    expect(after.stageElapsedMs).toBeGreaterThanOrEqual(before.stageElapsedMs);
    expect(second.gw.runtime.registry.get('chat')!.variants.find((v) => v.name === 'next')!.weightBp).toBe(4000);
  });

  it.each([
    // what, the operator's action, the weights it leaves (a promoted-away baseline is warm, so not in the canary's `traffic`)
    ['promote', (a: AdminClient) => a.promote('chat', { reason: 'ship it' }), { baseline: 0, next: 100 }, { next: 100 }],
    ['rollback', (a: AdminClient) => a.rollback('chat', 'not now'), { baseline: 100, next: 0 }, { baseline: 100, next: 0 }],
    ['weight change', (a: AdminClient) => a.setWeights('chat', { next: 20 }, 'manual ramp'), { baseline: 80, next: 20 }, { baseline: 80, next: 20 }],
  ] as const)('an operator\'s %s ends a live canary and the canary never overwrites traffic again, also after a restart', async (what, act, expected, traffic) => {
    const dbPath = tempDbPath();
    const up = await upstreams();
    const first = await gateway(up, dbPath);
    const canary = new CanaryClient(first.gw.url, TOKEN);
    const weights = (gw: RunningGateway) => Object.fromEntries(gw.runtime.registry.get('chat')!.variants.map((v) => [v.name, v.weightBp / 100]));
    // Short stages: a controller still driving this canary would move traffic within a second.
    await canary.call('start', 'chat', { candidate: 'next', stages: '5:1s,50:1s,100' });
    await new Promise((r) => setTimeout(r, 250)); // a few evaluations: the controller's own weight changes end nothing
    expect((await canary.call('status', 'chat')).phase).toBe('stage');

    await act(new AdminClient(first.gw.url, TOKEN));
    const st = await canary.call('status', 'chat');
    const reason = new RegExp(`^ended by ${what} by cli:\\S+: `);
    expect(st).toMatchObject({ phase: 'aborted', traffic });
    expect(st.reason).toMatch(reason);
    expect(st.events.at(-1)).toMatchObject({ kind: 'aborted', actor: expect.stringMatching(/^cli:/) });
    const audit = first.gw.runtime.registry.listEvents({ deployment: 'chat' });
    const ended = audit.find((e) => e.type === 'canary_aborted')!;
    expect(ended.reason).toMatch(new RegExp(`^aborted at 5%: ended by ${what} by cli:`));
    const n = audit.length;
    await drive(first.gw.url, () => false, 1200);
    expect(weights(first.gw)).toEqual(expected);
    expect(first.gw.runtime.registry.listEvents({ deployment: 'chat' })).toHaveLength(n);
    await expect(canary.call('abort', 'chat')).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^the canary on chat already ended \(aborted at .+\); start a new one$/) });
    expect(weights(first.gw)).toEqual(expected);
    await (first.gw as unknown as { close: () => Promise<void> }).close();

    const second = await gateway(up, dbPath);
    await new Promise((r) => setTimeout(r, 600));
    expect(await new CanaryClient(second.gw.url, TOKEN).call('status', 'chat')).toMatchObject({ phase: 'aborted', reason: st.reason, traffic });
    expect(weights(second.gw)).toEqual(expected);
  });
});
