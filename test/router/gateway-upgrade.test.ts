/**
 * End to end through the gateway: a `routed` deployment with the shipped classifier, three tier
 * deployments over real local OpenAI-wire servers, and the upgrade path (a fast answer that
 * fails a cheap check is retried on the powerful tier, and the response headers say so).
 * Client: the official openai SDK.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tierCountsFromRequestLog } from '../../src/cost/from-log.js';
import { gatewayMigrations } from '../../src/gateway/state-store.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { startGateway, type RunningGateway } from '../../src/gateway/server.js';
import { createRouteDecider } from '../../src/router/decide.js';
import { createFastAnswerCheck } from '../../src/router/gateway-hooks.js';
import { loadModel } from '../../src/router/load-model.js';
import { RoutingPolicySchema } from '../../src/router/policy.js';
import { startOpenAIServer, type RecordedRequest, type WireServer } from '../support/wire/openai-server.js';

const REFUSAL = "I'm sorry, but I can't help with that.";
/** The fast model misbehaves as the test asks through the `user` field (forwarded upstream). */
function fastAnswer(req: RecordedRequest): { text: string } {
  switch (req.body.user) {
    case 'wants-refusal':
      return { text: REFUSAL };
    case 'wants-empty':
      return { text: '' };
    case 'wants-bad-json':
      return { text: 'sure, here you go: {"card": "shipped"' };
    case 'wants-good-json':
      return { text: '{"card": "shipped"}' };
    default:
      return { text: 'fast answer' };
  }
}

describe('routed deployment: classifier and upgrade path through the gateway', () => {
  let fast: WireServer, mid: WireServer, powerful: WireServer;
  let gw: RunningGateway;
  let client: OpenAI;
  let logDb: Db;
  const logFile = join(mkdtempSync(join(tmpdir(), 'llmops-route-')), 'gateway.db');

  beforeAll(async () => {
    fast = await startOpenAIServer({ handler: fastAnswer });
    mid = await startOpenAIServer({ handler: () => ({ text: 'mid answer' }) });
    powerful = await startOpenAIServer({ handler: (r) => ({ text: r.body.response_format ? '{"card": "on its way"}' : 'powerful answer' }) });
    const upstream = (url: string, model: string) => ({ type: 'openai', baseURL: url, model, timeoutMs: 5000, price: { input: 1, output: 2 } });
    const config = parseGatewayConfig({
      upstreams: { small: upstream(fast.url, 'small-model'), medium: upstream(mid.url, 'medium-model'), large: upstream(powerful.url, 'large-model') },
      deployments: {
        'tier-fast': { variants: { baseline: { upstream: 'small', weight: 100 } } },
        'tier-mid': { variants: { baseline: { upstream: 'medium', weight: 100 } } },
        'tier-powerful': { variants: { baseline: { upstream: 'large', weight: 100 } } },
        assistant: { kind: 'routed', tiers: { fast: 'tier-fast', mid: 'tier-mid', powerful: 'tier-powerful' } },
      },
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const policy = RoutingPolicySchema.parse({ overrides: [{ name: 'legal', tags: ['legal-review'], tier: 'powerful' }] });
    logDb = openDatabase(logFile, { migrations: [{ component: 'gateway', steps: gatewayMigrations }] });
    gw = await startGateway({
      config, host: '127.0.0.1', port: 0, env: {}, requestLogDb: logDb,
      routeDecider: createRouteDecider(loadModel(), policy),
      fastAnswerCheck: createFastAnswerCheck(policy.upgrade),
    });
    client = new OpenAI({ apiKey: 'anything', baseURL: `${gw.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gw?.shutdown(1000);
    logDb?.close();
    await Promise.all([fast, mid, powerful].map((s) => s?.close()));
  });

  const simple = 'My card has not arrived yet, what should I do?';
  const ask = (user: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}, content = simple) =>
    client.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content }], user, ...extra }).withResponse();

  it('a simple support query goes to the fast tier and a good answer is kept', async () => {
    const before = { fast: fast.requestCount, powerful: powerful.requestCount };
    const { data, response } = await ask('fine');
    expect(data.choices[0]?.message.content).toBe('fast answer');
    expect(response.headers.get('x-llmops-tier')).toBe('fast');
    expect(response.headers.get('x-llmops-deployment')).toBe('tier-fast');
    expect(response.headers.get('x-llmops-upgraded-from')).toBeNull();
    expect(fast.requestCount - before.fast).toBe(1);
    expect(powerful.requestCount - before.powerful).toBe(0);
    expect(fast.requests.at(-1)?.body.model).toBe('small-model');
  });

  for (const [user, reason, extra] of [
    ['wants-refusal', 'refusal', {}],
    ['wants-empty', 'empty', {}],
    ['wants-bad-json', 'invalid_json', { response_format: { type: 'json_object' } }],
  ] as const) {
    it(`a fast answer failing the ${reason} check is retried on the powerful tier, and the headers say so`, async () => {
      const before = { fast: fast.requestCount, powerful: powerful.requestCount };
      const { data, response } = await ask(user, extra as Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>);
      expect(data.choices[0]?.message.content).toBe(reason === 'invalid_json' ? '{"card": "on its way"}' : 'powerful answer');
      expect(response.headers.get('x-llmops-tier')).toBe('powerful');
      expect(response.headers.get('x-llmops-upgraded-from')).toBe('fast');
      expect(response.headers.get('x-llmops-upgrade-reason')).toBe(reason);
      expect(response.headers.get('x-llmops-deployment')).toBe('tier-powerful');
      expect(fast.requestCount - before.fast).toBe(1);
      expect(powerful.requestCount - before.powerful).toBe(1);
      // The powerful tier got the client's request as sent, with its own model id.
      expect(powerful.requests.at(-1)?.body.model).toBe('large-model');
      expect(powerful.requests.at(-1)?.body.messages).toEqual([{ role: 'user', content: simple }]);
    });
  }

  it('an upgrade is not a fallback: no llmops_fallbacks_total after the upgraded requests above', async () => {
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/llmops_route_decisions_total\{deployment="assistant",tier="powerful",reason="upgrade"\} [1-9]/);
    expect(metrics).not.toMatch(/^llmops_fallbacks_total\{/m);
  });

  it('valid JSON from the fast tier passes the JSON check', async () => {
    const { data, response } = await ask('wants-good-json', { response_format: { type: 'json_object' } });
    expect(data.choices[0]?.message.content).toBe('{"card": "shipped"}');
    expect(response.headers.get('x-llmops-tier')).toBe('fast');
    expect(response.headers.get('x-llmops-upgraded-from')).toBeNull();
  });

  it('a multi-step math problem goes to mid; a tagged legal review is forced to powerful', async () => {
    const math = 'A baker makes 24 muffins per tray and bakes 7 trays. She sells 3/4 of them at $2 each and gives 10 to a shelter. How much money does she make, and how many muffins are left?';
    const m = await ask('fine', {}, math);
    expect(m.response.headers.get('x-llmops-tier')).toBe('mid');
    expect(m.data.choices[0]?.message.content).toBe('mid answer');
    const legal = await client.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content: 'hello' }] }, { headers: { 'x-llmops-tags': 'legal-review' } }).withResponse();
    expect(legal.response.headers.get('x-llmops-tier')).toBe('powerful');
    expect(legal.data.choices[0]?.message.content).toBe('powerful answer');
  });

  it('counts decisions by deployment, tier and reason in /metrics', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const count = (tier: string, reason: string) => Number(new RegExp(`llmops_route_decisions_total\\{deployment="assistant",tier="${tier}",reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('powerful', 'upgrade')).toBe(3);
    expect(count('powerful', 'override')).toBe(1);
    expect(count('fast', 'classifier')).toBe(5);
    expect(count('mid', 'classifier')).toBe(1);
  });

  it('the request log keeps both calls of an upgraded request, and cost estimate --from-log reads its tier mix', async () => {
    const { response } = await ask('wants-refusal');
    const id = response.headers.get('x-llmops-request-id')!;
    await gw.shutdown(1000); // flushes the batched request log
    const rows = logDb.prepare('SELECT request_id, tier, deployment, response_text FROM request_log WHERE request_id IN (?, ?) ORDER BY request_id').all(id, `${id}.fast`);
    expect(rows).toEqual([
      { request_id: id, tier: 'powerful', deployment: 'tier-powerful', response_text: 'powerful answer' },
      { request_id: `${id}.fast`, tier: 'fast', deployment: 'tier-fast', response_text: REFUSAL },
    ]);
    // Calls made: fast = 1 kept + 4 upgraded + 1 good JSON = 6; powerful = 4 upgrades + 1 override = 5; mid = 1.
    expect(await tierCountsFromRequestLog(logFile)).toEqual({ fast: 6, mid: 1, powerful: 5 });
  });
});
