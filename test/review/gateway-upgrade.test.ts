/**
 * `review sample` over the request log of a real gateway with a routed deployment: a request the
 * gateway upgraded (its fast answer failed a check, `x-llmops-upgraded-from: fast`) leaves the
 * discarded fast attempt in the log as `<id>.fast` with outcome `ok`. The user never saw it, so
 * it must not be sampled for review. Upstreams are local OpenAI-wire servers.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { startGateway, type RunningGateway } from '../../src/gateway/server.js';
import { gatewayMigrations } from '../../src/gateway/state-store.js';
import { sampleBatch, openReviewStore } from '../../src/review/service.js';
import { createRouteDecider } from '../../src/router/decide.js';
import { createFastAnswerCheck } from '../../src/router/gateway-hooks.js';
import { loadModel } from '../../src/router/load-model.js';
import { RoutingPolicySchema } from '../../src/router/policy.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { startOpenAIServer, type RecordedRequest, type WireServer } from '../support/wire/openai-server.js';
import { tempDir } from './support.js';

const REFUSAL = "I'm sorry, but I can't help with that.";

describe('review sample over a routed gateway log', () => {
  let fast: WireServer, powerful: WireServer;
  let gw: RunningGateway;
  let logDb: Db;
  const dir = tempDir();
  const logFile = join(dir, 'gateway.db');
  const served: string[] = [];
  let upgradedId = '';

  beforeAll(async () => {
    fast = await startOpenAIServer({ handler: (r: RecordedRequest) => ({ text: r.body.user === 'wants-refusal' ? REFUSAL : 'Cards arrive within 9 working days.' }) });
    powerful = await startOpenAIServer({ handler: () => ({ text: 'A replacement card arrives within 9 working days.' }) });
    const upstream = (url: string, model: string) => ({ type: 'openai', baseURL: url, model, timeoutMs: 5000 });
    const config = parseGatewayConfig({
      upstreams: { small: upstream(fast.url, 'small-model'), large: upstream(powerful.url, 'large-model') },
      deployments: {
        'tier-fast': { variants: { baseline: { upstream: 'small', weight: 100 } } },
        'tier-powerful': { variants: { baseline: { upstream: 'large', weight: 100 } } },
        support: { kind: 'routed', tiers: { fast: 'tier-fast', mid: 'tier-powerful', powerful: 'tier-powerful' } },
      },
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const policy = RoutingPolicySchema.parse({});
    logDb = openDatabase(logFile, { migrations: [{ component: 'gateway', steps: gatewayMigrations }] });
    gw = await startGateway({
      config, host: '127.0.0.1', port: 0, env: {}, requestLogDb: logDb,
      routeDecider: createRouteDecider(loadModel(), policy),
      fastAnswerCheck: createFastAnswerCheck(policy.upgrade),
    });
    const ask = async (user: string) => {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'support', user, messages: [{ role: 'user', content: 'My card has not arrived yet, what should I do?' }] }),
      });
      await res.arrayBuffer();
      return res.headers;
    };
    for (const user of ['u1', 'u2', 'u3']) served.push((await ask(user)).get('x-llmops-request-id')!);
    const up = await ask('wants-refusal');
    expect(up.get('x-llmops-upgraded-from')).toBe('fast');
    upgradedId = up.get('x-llmops-request-id')!;
    served.push(upgradedId);
    await gw.shutdown(1000); // flushes the batched request log
    logDb.close();
  });

  afterAll(async () => {
    await Promise.all([fast, powerful].map((s) => s?.close()));
  });

  it('leaves out the fast attempt an upgrade discarded (logged as <id>.fast, outcome ok) and counts it as unreviewable', async () => {
    // The log holds it, as the gateway documents: paid for, so logged.
    const check = openDatabase(logFile, { readonly: true, mustExist: true });
    const fastRow = check.prepare('SELECT outcome, tier, response_text FROM request_log WHERE request_id = ?').get(`${upgradedId}.fast`);
    check.close();
    expect(fastRow).toEqual({ outcome: 'ok', tier: 'fast', response_text: REFUSAL });

    const dbPath = join(dir, 'llmops.db');
    const s = await sampleBatch({ dbPath, from: logFile, size: 100, since: undefined, deployment: undefined, seed: 'wk47', now: new Date(Date.now() + 60_000) });
    expect(s.unreviewable).toBe(1);
    const store = openReviewStore(dbPath);
    try {
      const items = store.items(s.batch.id);
      expect(items.map((i) => i.response.requestId).sort()).toEqual([...served].sort());
      // The upgraded request is reviewed with the answer the user got.
      expect(items.find((i) => i.response.requestId === upgradedId)!.response).toMatchObject({ deployment: 'tier-powerful', response: 'A replacement card arrives within 9 working days.' });
      expect(items.some((i) => i.response.response === REFUSAL)).toBe(false);
    } finally {
      store.db.close();
    }
  });
});
