import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import type { FeedbackEvent, RequestCompletedEvent } from '../../src/gateway/events.js';
import { GatewayRuntime } from '../../src/gateway/runtime.js';
import { startOpenAIServer } from '../support/wire/openai-server.js';
import { closeAfterEach, openGatewayDb, splitConfig, startTestGateway } from './helpers.js';
import { parsePrometheusText } from './prom-parser.js';

// Feedback often comes minutes after the answer, and a gateway is restarted on every deploy:
// a rating of a request the in-memory index no longer holds is attributed from the request log.
const config = parseGatewayConfig({
  upstreams: { a: { type: 'sim', model: 'm' } },
  deployments: { chat: { variants: { baseline: { upstream: 'a', weight: 90 }, candidate: { upstream: 'a', weight: 10 } } } },
});
const request = (id: string, variant: string, tenant = 'default'): RequestCompletedEvent => ({
  requestId: id, time: 1_000, deployment: 'chat', variant, upstream: 'a', tenant, userHash: 'anonymous',
  status: 200, outcome: 'ok', stream: false, cached: false, messages: [], latencyMs: 1, ttftMs: null, inputTokens: 1, outputTokens: 1, costUsd: 0, responseText: '',
} as RequestCompletedEvent);

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmops-feedback-'));
  dirs.push(dir);
  return join(dir, 'gw.db');
}

describe('feedback on requests the recent-request index no longer holds', () => {
  it('is attributed from the request log after a restart, and replaces the rating given before it', async () => {
    const db = openGatewayDb(dbFile());
    let clock = 10_000;
    const before = new GatewayRuntime({ config, env: {}, db, now: () => clock });
    before.events.emit('request', request('old', 'candidate', 'acme'));
    before.events.emit('request', request('unrated', 'baseline', 'acme'));
    expect(before.recordFeedback('old', 'up', undefined, 'acme')).toMatchObject({ variant: 'candidate', replaces: undefined });
    await before.close(); // flushes the request log, as a gateway's shutdown does

    clock = 70_000;
    const after = new GatewayRuntime({ config, env: {}, db, now: () => clock });
    const seen: FeedbackEvent[] = [];
    after.events.on('feedback', (e) => seen.push(e));
    try {
      after.recordFeedback('old', 'down', 'changed my mind', 'acme');
      after.recordFeedback('unrated', 'up', undefined, 'acme');
      after.recordFeedback('old', 'down', undefined, 'other'); // another tenant: never attributed
      after.recordFeedback('never-served', 'up', undefined, 'acme');
      clock += 100;
      after.recordFeedback('old', 'up', undefined, 'acme'); // back in the index: found in memory now
      expect(seen.map((e) => [e.deployment, e.variant, e.replaces?.rating])).toEqual([
        ['chat', 'candidate', 'up'],
        ['chat', 'baseline', undefined],
        [undefined, undefined, undefined],
        [undefined, undefined, undefined],
        ['chat', 'candidate', 'down'],
      ]);
      expect(seen[0]!.replaces).toEqual({ rating: 'up', time: 10_000 });
      // The live window of this process never held the rating from before the restart, so it takes back only its own.
      expect(after.stats.variantStats('chat', 'candidate').feedback).toEqual({ up: 1, down: 0 });
      const fams = parsePrometheusText(await after.metrics.text());
      const value = (name: string, variant: string, rating: string) => fams.get(name)?.samples.find((x) => x.labels.variant === variant && x.labels.rating === rating)?.value ?? 0;
      expect([value('llmops_feedback_total', 'candidate', 'up'), value('llmops_feedback_total', 'candidate', 'down')]).toEqual([1, 1]);
      expect([value('llmops_feedback_replaced_total', 'candidate', 'up'), value('llmops_feedback_replaced_total', 'candidate', 'down')]).toEqual([1, 1]);
    } finally {
      await after.close();
      db.close();
    }
  });

  it('is attributed from the request log once newer requests pushed it out of memory', async () => {
    const db = openGatewayDb(':memory:');
    const rt = new GatewayRuntime({ config, env: {}, db, recentRequests: 100 });
    try {
      rt.events.emit('request', request('first', 'candidate'));
      rt.recordFeedback('first', 'up', undefined, 'default');
      for (let i = 0; i < 500; i++) rt.events.emit('request', request(`r${i}`, 'baseline'));
      rt.requestLog!.flush();
      const e = rt.recordFeedback('first', 'down', undefined, 'default');
      expect(e).toMatchObject({ deployment: 'chat', variant: 'candidate', replaces: { rating: 'up' } });
    } finally {
      await rt.close();
      db.close();
    }
  });

  it('stays unattributed when the request log has no such table (lookup errors are logged, not thrown)', async () => {
    const db = openGatewayDb(':memory:');
    db.exec('DROP TABLE request_log');
    const logged: string[] = [];
    const rt = new GatewayRuntime({ config, env: {}, db, logger: { log: (_level, msg, fields) => logged.push(`${msg}: ${String(fields?.error)}`) } });
    try {
      expect(rt.recordFeedback('gone', 'up', undefined, 'default')).toMatchObject({ deployment: undefined, replaces: undefined });
      expect(logged.join('\n')).toMatch(/request log lookup failed: no such table: request_log/);
    } finally {
      await rt.close();
      db.close();
    }
  });
});

describe('POST /v1/feedback across a gateway restart (same database file)', () => {
  const closing = closeAfterEach();

  it('attributes the rating to the variant that answered before the restart', async () => {
    const up = closing.server(await startOpenAIServer({ handler: () => ({ text: 'fine' }) }));
    const path = dbFile();
    const gwConfig = splitConfig({ up: up.url }, { baseline: { upstream: 'up', weight: 0 }, candidate: { upstream: 'up', weight: 100 } });
    const db1 = openGatewayDb(path);
    const first = await startTestGateway(gwConfig, { db: db1 });
    const res = await fetch(`${first.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
    await res.arrayBuffer();
    const id = res.headers.get('x-llmops-request-id')!;
    const rate = async (url: string, rating: string) => {
      const r = await fetch(`${url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: id, rating }) });
      expect(r.status).toBe(202);
      return r.json() as Promise<{ attributed: boolean; replaced: boolean }>;
    };
    expect(await rate(first.url, 'up')).toEqual({ accepted: true, attributed: true, replaced: false });
    await first.shutdown(1000);
    db1.close();

    const db2 = openGatewayDb(path);
    closing.later(() => db2.close());
    const second = closing.gateway(await startTestGateway(gwConfig, { db: db2 }));
    expect(await rate(second.url, 'down')).toEqual({ accepted: true, attributed: true, replaced: true });
    expect(second.runtime.stats.variantStats('chat', 'candidate').feedback).toEqual({ up: 0, down: 1 });
  });
});
