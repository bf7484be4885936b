import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';
import type { Db } from '../../src/store/open.js';
import { closeAfterEach, openGatewayDb, splitConfig, startTestGateway } from './helpers.js';

const open = closeAfterEach();
/** This test's upstreams, in start order: a gateway restarted within a test reuses them. */
let servers: WireServer[];
let dir: string;
beforeEach(() => {
  servers = [];
  dir = mkdtempSync(join(tmpdir(), 'llmops-gw-'));
  open.later(() => rmSync(dir, { recursive: true, force: true }));
});

async function upstream(text: string): Promise<WireServer> {
  const s = open.server(await startOpenAIServer({ handler: () => ({ text }) }));
  servers.push(s);
  return s;
}
/** The gateway database at `file`, closed after the test (after the gateway using it). */
function gatewayDb(file: string): Db {
  const db = openGatewayDb(file);
  open.later(() => db.close());
  return db;
}
const env = { LLMOPS_ADMIN_TOKEN: 't0ken' };
const admin = (url: string, method: string, path: string, body?: unknown) =>
  fetch(`${url}/admin${path}`, { method, headers: { authorization: 'Bearer t0ken', 'content-type': 'application/json', 'x-llmops-actor': 'test' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const clients = new Map<string, OpenAI>();
const variantFor = async (url: string, user: string) => {
  if (!clients.has(url)) clients.set(url, new OpenAI({ apiKey: 'k', baseURL: `${url}/v1`, maxRetries: 0 }));
  const { response } = await clients.get(url)!.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'q' }], user }).withResponse();
  return response.headers.get('x-llmops-variant');
};

async function twoVariantGateway(weight: number, db?: Db) {
  const a = servers[0] ?? (await upstream('A'));
  const b = servers[1] ?? (await upstream('B'));
  return open.gateway(await startTestGateway(splitConfig({ a: a.url, b: b.url }, { baseline: { upstream: 'a', weight: 100 - weight }, canary: { upstream: 'b', weight } }), { env, ...(db ? { db } : {}) }));
}

describe('sticky split through the gateway', () => {
  it('keeps each user on one variant across requests and restarts; weights changed at runtime only add users to the candidate', async () => {
    let gw = await twoVariantGateway(20);
    const users = Array.from({ length: 60 }, (_, i) => `user-${i}`);
    const first = new Map<string, string | null>();
    for (const u of users) first.set(u, await variantFor(gw.url, u));
    for (const u of users.slice(0, 20)) expect(await variantFor(gw.url, u)).toBe(first.get(u));
    expect(new Set(first.values())).toEqual(new Set(['baseline', 'canary']));

    const put = await admin(gw.url, 'PUT', '/deployments/chat/weights', { weights: { canary: 60 }, reason: 'ramp' });
    expect(put.status).toBe(200);
    const after = (await put.json()) as { variants: Array<{ name: string; weight: number }> };
    expect(after.variants.find((v) => v.name === 'baseline')?.weight).toBe(40);
    let moved = 0;
    for (const u of users) {
      const now = await variantFor(gw.url, u);
      if (first.get(u) === 'canary') expect(now).toBe('canary');
      else if (now === 'canary') moved++;
    }
    expect(moved).toBeGreaterThan(0);

    // A restart (new process state, same config) keeps the assignment: it is a pure hash.
    await gw.shutdown(1000);
    gw = await twoVariantGateway(20);
    for (const u of users) expect(await variantFor(gw.url, u)).toBe(first.get(u));
  });

  it('rejects weights that do not make a valid split', async () => {
    const gw = await twoVariantGateway(10);
    expect((await admin(gw.url, 'PUT', '/deployments/chat/weights', { weights: { canary: 120 } })).status).toBe(400);
    expect((await admin(gw.url, 'PUT', '/deployments/chat/weights', { weights: { baseline: 50, canary: 20 } })).status).toBe(400);
    expect((await admin(gw.url, 'PUT', '/deployments/chat/weights', { weights: { nope: 20 } })).status).toBe(404);
    expect((await admin(gw.url, 'PUT', '/deployments/missing/weights', { weights: { canary: 20 } })).status).toBe(404);
  });
});

describe('promote and rollback', () => {
  it('survive a restart (SQLite state), with reasons in the event log', async () => {
    const file = join(dir, 'gw.db');
    let db = gatewayDb(file);
    let gw = await twoVariantGateway(5, db);
    const promoted = (await (await admin(gw.url, 'POST', '/deployments/chat/promote', { reason: 'canary healthy' })).json()) as { status: string; variants: Array<{ name: string; role: string; weight: number; warmUntil?: string }> };
    expect(promoted.status).toBe('promoted');
    expect(promoted.variants.find((v) => v.name === 'canary')).toMatchObject({ role: 'baseline', weight: 100 });
    expect(promoted.variants.find((v) => v.name === 'baseline')).toMatchObject({ role: 'warm', weight: 0 });
    expect(await variantFor(gw.url, 'anyone')).toBe('canary');

    await gw.shutdown(1000);
    db.close();
    db = gatewayDb(file);
    gw = await twoVariantGateway(5, db);
    for (const u of ['u1', 'u2', 'u3', 'u4']) expect(await variantFor(gw.url, u)).toBe('canary');
    const shown = (await (await admin(gw.url, 'GET', '/deployments/chat')).json()) as { status: string; stats: Record<string, { requests: number }> };
    expect(shown.status).toBe('promoted');
    expect(shown.stats.canary?.requests).toBe(4);

    // Bring a new candidate in, then roll back: all traffic to the (new) baseline.
    await admin(gw.url, 'POST', '/deployments/chat/variants', { name: 'next', upstream: 'a', weight: 50 });
    const rolled = (await (await admin(gw.url, 'POST', '/deployments/chat/rollback', { reason: 'error rate +3 points' })).json()) as { status: string; variants: Array<{ name: string; weight: number }> };
    expect(rolled.status).toBe('rolled_back');
    expect(rolled.variants.find((v) => v.name === 'next')?.weight).toBe(0);

    await gw.shutdown(1000);
    db.close();
    db = gatewayDb(file);
    gw = await twoVariantGateway(5, db);
    for (const u of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']) expect(await variantFor(gw.url, u)).toBe('canary');
    const events = (await (await admin(gw.url, 'GET', '/events?deployment=chat')).json()) as { events: Array<{ type: string; reason?: string; actor: string }> };
    expect(events.events.map((e) => e.type)).toEqual(['promote', 'variant_set', 'weights_set', 'rollback']);
    expect(events.events.find((e) => e.type === 'rollback')).toMatchObject({ reason: 'error rate +3 points', actor: 'test' });
    expect(events.events[0]).toMatchObject({ reason: 'canary healthy' });
  });

  it('rollback without a body or reason records a default reason; canary actions answer 501 without a controller', async () => {
    const gw = await twoVariantGateway(5);
    const bare = await fetch(`${gw.url}/admin/deployments/chat/rollback`, { method: 'POST', headers: { authorization: 'Bearer t0ken' } });
    expect(bare.status).toBe(200);
    expect(((await bare.json()) as { variants: Array<{ name: string; weight: number }> }).variants.find((v) => v.name === 'baseline')?.weight).toBe(100);
    expect((await admin(gw.url, 'POST', '/deployments/chat/rollback', {})).status).toBe(200);
    expect((await admin(gw.url, 'POST', '/deployments/chat/rollback', { reason: 'drift' })).status).toBe(200);
    const bad = await admin(gw.url, 'POST', '/deployments/chat/rollback', { reason: 3 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/reason/);
    const events = (await (await admin(gw.url, 'GET', '/events?deployment=chat')).json()) as { events: Array<{ type: string; reason?: string }> };
    expect(events.events.filter((e) => e.type === 'rollback').map((e) => e.reason)).toEqual(['manual rollback (no reason given)', 'manual rollback (no reason given)', 'drift']);
    expect((await admin(gw.url, 'POST', '/deployments/chat/canary', { candidate: 'b' })).status).toBe(501);
  });

  it('forwards canary actions to an installed controller', async () => {
    const calls: string[] = [];
    const a = await upstream('A');
    const b = await upstream('B');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url, b: b.url }, { baseline: { upstream: 'a', weight: 100 } }), {
      env,
      setup: (rt) => {
        rt.canary = (action, d, body) => {
          calls.push(`${action}:${d}:${JSON.stringify(body ?? null)}`);
          return { status: action === 'start' ? 201 : 200, body: { action } };
        };
      },
    }));
    expect((await admin(gw.url, 'POST', '/deployments/chat/canary', { candidate: 'b' })).status).toBe(201);
    expect((await admin(gw.url, 'POST', '/deployments/chat/canary/pause')).status).toBe(200);
    expect(calls).toEqual(['start:chat:{"candidate":"b"}', 'pause:chat:null']);
  });
});

describe('rollback right after a promote', () => {
  it('restores the warm previous baseline, and the promoted variant becomes a 0% candidate', async () => {
    const gw = await twoVariantGateway(5);
    await admin(gw.url, 'POST', '/deployments/chat/promote', { reason: 'ship it' });
    expect(await variantFor(gw.url, 'u1')).toBe('canary');
    const rolled = (await (await admin(gw.url, 'POST', '/deployments/chat/rollback', { reason: 'complaints' })).json()) as { variants: Array<{ name: string; role: string; weight: number }> };
    expect(rolled.variants).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'baseline', role: 'baseline', weight: 100 }),
      expect.objectContaining({ name: 'canary', role: 'candidate', weight: 0 }),
    ]));
    for (const u of ['u1', 'u2', 'u3']) expect(await variantFor(gw.url, u)).toBe('baseline');
  });
});

describe('promote with several candidates', () => {
  it('asks for one by name and says how: the --variant flag', async () => {
    const gw = await twoVariantGateway(5);
    await admin(gw.url, 'POST', '/deployments/chat/variants', { name: 'next', upstream: 'a', weight: 5 });
    const res = await admin(gw.url, 'POST', '/deployments/chat/promote', {});
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('deployment chat has several candidates (canary, next); name one with --variant <name>');
    const promoted = await admin(gw.url, 'POST', '/deployments/chat/promote', { variant: 'next' });
    expect(promoted.status).toBe(200);
    // With no reason given, the state says what the last change was rather than an older reason.
    expect(((await promoted.json()) as { lastReason: string }).lastReason).toBe('promote by test');
  });
});
