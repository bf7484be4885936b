import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import type { FeedbackEvent, RequestCompletedEvent } from '../../src/gateway/events.js';
import { GatewayRuntime } from '../../src/gateway/runtime.js';
import { VariantWindow } from '../../src/gateway/stats-window.js';
import { startOpenAIServer } from '../support/wire/openai-server.js';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';
import { parsePrometheusText } from './prom-parser.js';

// One rating per answer: POST /v1/feedback for a request id already rated replaces the earlier
// rating (a repeat, or a user changing their mind) instead of adding to it.
const config = parseGatewayConfig({
  upstreams: { a: { type: 'sim', model: 'm' } },
  deployments: { chat: { variants: { baseline: { upstream: 'a', weight: 100 } } } },
});
const request = (id: string, tenant = 'default'): RequestCompletedEvent => ({
  requestId: id, time: 0, deployment: 'chat', variant: 'baseline', upstream: 'a', tenant, userHash: 'anonymous',
  status: 200, outcome: 'ok', stream: false, cached: false, messages: [], latencyMs: 1, ttftMs: null, inputTokens: 1, outputTokens: 1, costUsd: 0, responseText: '',
} as RequestCompletedEvent);

describe('feedback: one rating per answer', () => {
  it('a repeat replaces the earlier rating in the event, the live window and the metrics', async () => {
    let clock = 10_000;
    const rt = new GatewayRuntime({ config, env: {}, now: () => clock });
    const seen: FeedbackEvent[] = [];
    rt.events.on('feedback', (e) => seen.push(e));
    try {
      rt.events.emit('request', request('dup'));
      for (let i = 0; i < 5; i++) {
        rt.recordFeedback('dup', 'up', undefined, 'default');
        clock += 100;
      }
      rt.recordFeedback('dup', 'down', 'changed my mind', 'default');
      expect(seen.map((e) => e.replaces?.rating)).toEqual([undefined, 'up', 'up', 'up', 'up', 'up']);
      expect(seen[5]).toMatchObject({ deployment: 'chat', variant: 'baseline', rating: 'down', replaces: { rating: 'up', time: 10_400 } });
      expect(rt.stats.variantStats('chat', 'baseline').feedback).toEqual({ up: 0, down: 1 });
      const fams = parsePrometheusText(await rt.metrics.text());
      const value = (name: string, rating: string) => fams.get(name)?.samples.find((x) => x.labels.rating === rating && x.labels.variant === 'baseline')?.value ?? 0;
      // Every rating received, and the ones replaced: current ratings are the difference.
      expect([value('llmops_feedback_total', 'up'), value('llmops_feedback_total', 'down')]).toEqual([5, 1]);
      expect([value('llmops_feedback_replaced_total', 'up'), value('llmops_feedback_replaced_total', 'down')]).toEqual([5, 0]);
    } finally {
      await rt.close();
    }
  });

  it("another tenant's feedback is not attributed and does not replace the owner's rating", async () => {
    const rt = new GatewayRuntime({ config, env: {} });
    try {
      rt.events.emit('request', request('mine', 'acme'));
      expect(rt.recordFeedback('mine', 'up', undefined, 'acme').replaces).toBeUndefined();
      const foreign = rt.recordFeedback('mine', 'down', undefined, 'other');
      expect(foreign).toMatchObject({ deployment: undefined, replaces: undefined });
      expect(rt.recordFeedback('mine', 'up', undefined, 'acme').replaces).toMatchObject({ rating: 'up' });
      expect(rt.stats.variantStats('chat', 'baseline').feedback).toEqual({ up: 1, down: 0 });
    } finally {
      await rt.close();
    }
  });

  it('remembers ratings only of requests still in the recent-request index (bounded memory)', async () => {
    const rt = new GatewayRuntime({ config, env: {}, recentRequests: 100 });
    const rated = rt as unknown as { ratedRecent: Map<string, unknown>; ratedOlder: Map<string, unknown> };
    try {
      rt.events.emit('request', request('first'));
      rt.recordFeedback('first', 'up', undefined, 'default');
      for (let i = 0; i < 60; i++) rt.events.emit('request', request(`r${i}`));
      // "first" moved to the older generation with its rating: a repeat still replaces.
      expect(rt.recordFeedback('first', 'up', undefined, 'default').replaces).toMatchObject({ rating: 'up' });
      for (let i = 60; i < 2_000; i++) {
        rt.events.emit('request', request(`r${i}`));
        rt.recordFeedback(`r${i}`, 'up', undefined, 'default');
      }
      // Forgotten with its request: no longer attributed, so it cannot be counted twice either.
      expect(rt.recordFeedback('first', 'down', undefined, 'default')).toMatchObject({ deployment: undefined, replaces: undefined });
      expect(rated.ratedRecent.size + rated.ratedOlder.size).toBeLessThanOrEqual(100);
    } finally {
      await rt.close();
    }
  });

  it('the live window takes back a replaced rating only while its second is still in the window', () => {
    const w = new VariantWindow(10);
    w.feedback(1_000, 'up');
    w.feedback(1_500, 'up');
    w.retractFeedback(1_000, 'up');
    w.feedback(2_000, 'down');
    expect(w.stats(2_000).feedback).toEqual({ up: 1, down: 1 });
    w.retractFeedback(1_500, 'down'); // nothing of that kind there: never below zero
    expect(w.stats(2_000).feedback).toEqual({ up: 1, down: 1 });
    w.feedback(20_000, 'up');
    w.retractFeedback(1_500, 'up'); // its second left the window long ago
    expect(w.stats(20_000).feedback).toEqual({ up: 1, down: 0 });
  });
});

describe('POST /v1/feedback repeats over HTTP', () => {
  const closing = closeAfterEach();

  it('answers replaced: true for a repeat and counts the answer once', async () => {
    const up = closing.server(await startOpenAIServer({ handler: () => ({ text: 'fine' }) }));
    const gw = closing.gateway(await startTestGateway(splitConfig({ up: up.url }, { baseline: { upstream: 'up', weight: 100 } })));
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', user: 'dup', messages: [{ role: 'user', content: 'hi' }] }) });
    await res.arrayBuffer();
    const id = res.headers.get('x-llmops-request-id')!;
    const rate = async (rating: string) => {
      const r = await fetch(`${gw.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: id, rating }) });
      expect(r.status).toBe(202);
      return r.json() as Promise<{ accepted: boolean; attributed: boolean; replaced: boolean }>;
    };
    const answers = [];
    for (const rating of ['up', 'up', 'up', 'up', 'up', 'down']) answers.push(await rate(rating));
    expect(answers.map((a) => a.replaced)).toEqual([false, true, true, true, true, true]);
    expect(answers.every((a) => a.accepted && a.attributed)).toBe(true);
    expect(gw.runtime.stats.variantStats('chat', 'baseline').feedback).toEqual({ up: 0, down: 1 });
  });
});
