import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';
import { createJsonLogger } from '../../src/gateway/logger.js';
import { closeAfterEach, openGatewayDb, splitConfig, startTestGateway } from './helpers.js';
import { parsePrometheusText } from './prom-parser.js';

const open = closeAfterEach();

async function upstream(text: string): Promise<WireServer> {
  const s = await startOpenAIServer({ handler: () => ({ text, usage: { inputTokens: 10, outputTokens: 4 } }) });
  open.server(s);
  return s;
}

describe('the Prometheus parser used here is strict', () => {
  it('accepts valid text and rejects each kind of violation', () => {
    const ok = '# HELP x_total A counter.\n# TYPE x_total counter\nx_total{a="q\\"uote\\\\ \\n"} 3\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3.5\nh_count 2\n';
    expect(parsePrometheusText(ok).get('h')?.samples).toHaveLength(4);
    expect(parsePrometheusText(ok).get('x_total')?.samples[0]?.labels.a).toBe('q"uote\\ \n');
    for (const bad of [
      'x 1', // no trailing newline
      '1x 1\n',
      'x{a="b} 1\n',
      'x{a="\\t"} 1\n',
      'x{a="1",a="2"} 1\n',
      'x one\n',
      '# TYPE x counter\n# TYPE x counter\n',
      '# TYPE x counter\nx -1\n',
      'x 1\nx 2\n',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n',
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n',
    ]) expect(() => parsePrometheusText(bad), bad).toThrow();
  });
});

describe('observability', () => {
  it('/metrics passes the strict parser and counts requests, tokens, cost, feedback by variant', async () => {
    const a = await upstream('hello there');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    const c = new OpenAI({ apiKey: 'k', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const { response } = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'a "quoted" \\ question' }], user: 'u' }).withResponse();
    const s = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'q' }], stream: true });
    for await (const _ of s) { /* drain */ }
    const fb = await fetch(`${gw.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: response.headers.get('x-llmops-request-id'), rating: 'up' }) });
    expect(fb.status).toBe(202);
    expect(await fb.json()).toEqual({ accepted: true, attributed: true, replaced: false });
    expect((await fetch(`${gw.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: 'x', rating: 'meh' }) })).status).toBe(400);

    const res = await fetch(`${gw.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const fams = parsePrometheusText(await res.text());
    const value = (fam: string, labels: Record<string, string>, sample = fam) => fams.get(fam)?.samples.find((x) => x.name === sample && Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;
    expect(value('llmops_requests_total', { deployment: 'chat', variant: 'baseline', status: '200' })).toBe(2);
    expect(value('llmops_tokens_total', { deployment: 'chat', variant: 'baseline', tenant: 'anonymous', direction: 'input' })).toBe(20);
    // price input 1, output 2 USD per 1M tokens: 2 × (10·1 + 4·2) / 1e6.
    expect(value('llmops_cost_usd_total', { deployment: 'chat', variant: 'baseline', tenant: 'anonymous' })).toBeCloseTo(36e-6, 12);
    expect(value('llmops_feedback_total', { deployment: 'chat', variant: 'baseline', rating: 'up' })).toBe(1);
    expect(fams.get('llmops_request_duration_seconds')?.type).toBe('histogram');
    expect(value('llmops_ttft_seconds', { deployment: 'chat', variant: 'baseline' }, 'llmops_ttft_seconds_count')).toBe(1);
    expect(value('llmops_breaker_state', { upstream: 'a' })).toBe(0);
    expect(value('llmops_variant_weight_percent', { deployment: 'chat', variant: 'baseline' })).toBe(100);
  });

  it('/healthz and /readyz answer', async () => {
    const a = await upstream('x');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${gw.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('writes the request log in batches (sampled, content redacted on request) and feedback rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmops-gwlog-'));
    const db = openGatewayDb(join(dir, 'gw.db'));
    open.later(() => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const a = await upstream('the answer');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { requestLog: { sampleRate: 1, redactContent: false } }), { db }));
    const c = new OpenAI({ apiKey: 'k', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const { response } = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'secret question' }], user: 'alice', metadata: { context: 'doc text' } } as OpenAI.ChatCompletionCreateParamsNonStreaming).withResponse();
    const id = response.headers.get('x-llmops-request-id')!;
    // Our own metadata fields are not forwarded upstream.
    expect(a.requests[0]?.body.metadata).toBeUndefined();
    await fetch(`${gw.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: id, rating: 'down', comment: 'wrong' }) });
    await gw.shutdown(1000); // flushes
    const row = db.prepare('SELECT * FROM request_log WHERE request_id = ?').get(id) as Record<string, unknown>;
    expect(row).toMatchObject({ deployment: 'chat', variant: 'baseline', tenant: 'anonymous', status: 200, outcome: 'ok', response_text: 'the answer', context: 'doc text', input_tokens: 10, output_tokens: 4 });
    expect(JSON.parse(row.request_messages as string)).toEqual([{ role: 'user', content: 'secret question' }]);
    expect(row.user_hash).toMatch(/^[0-9a-f]{8}$/);
    expect(row.user_hash).not.toContain('alice');
    expect(db.prepare('SELECT rating, comment, variant FROM request_feedback WHERE request_id = ?').get(id)).toEqual({ rating: 'down', comment: 'wrong', variant: 'baseline' });
  });

  it('redactContent keeps metadata only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmops-gwlog-'));
    const db = openGatewayDb(join(dir, 'gw.db'));
    open.later(() => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const a = await upstream('the answer');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { requestLog: { sampleRate: 1, redactContent: true } }), { db }));
    await new OpenAI({ apiKey: 'k', baseURL: `${gw.url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'secret' }] });
    await gw.shutdown(1000);
    const row = db.prepare('SELECT request_messages, response_text, latency_ms FROM request_log').get() as Record<string, unknown>;
    expect(row.request_messages).toBeNull();
    expect(row.response_text).toBeNull();
    expect(row.latency_ms).toBeGreaterThan(0);
  });

  it('JSON logs keep allowlisted fields only', async () => {
    const lines: string[] = [];
    const log = createJsonLogger({ write: (l) => lines.push(l), now: () => 0 });
    log.log('warn', 'upstream attempt failed', { upstream: 'a', apiKey: 'sk-secret', authorization: 'Bearer x', messages: ['hi'], status: 500 });
    expect(JSON.parse(lines[0]!)).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'warn', msg: 'upstream attempt failed', upstream: 'a', status: 500 });
  });
});
