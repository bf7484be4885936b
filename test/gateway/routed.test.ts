import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startOpenAIServer } from '../support/wire/openai-server.js';
import type { GatewayRouteRequest, RouteDecider } from '../../src/gateway/routing.js';
import { RequestLogWriter } from '../../src/gateway/request-log.js';
import { closeAfterEach, openGatewayDb, startTestGateway } from './helpers.js';

const open = closeAfterEach();

describe('routed deployments call the injected RouteDecider', () => {
  it('serves each request through the tier deployment the decider picks, and says so in headers and metrics', async () => {
    const fast = open.server(await startOpenAIServer({ handler: () => ({ text: 'fast answer' }) }));
    const strong = open.server(await startOpenAIServer({ handler: () => ({ text: 'powerful answer' }) }));
    const seen: GatewayRouteRequest[] = [];
    const decider: RouteDecider = (req) => {
      seen.push(req);
      return req.messages.some((m) => m.content.length > 40) ? { tier: 'powerful', confidence: 0.9, reason: 'classifier' } : { tier: 'fast', confidence: 0.8, reason: 'classifier' };
    };
    const gw = open.gateway(await startTestGateway({
      upstreams: { f: { type: 'openai', baseURL: fast.url, model: 'f' }, p: { type: 'openai', baseURL: strong.url, model: 'p' } },
      deployments: {
        'chat-fast': { variants: { baseline: { upstream: 'f', weight: 100 } } },
        'chat-powerful': { variants: { baseline: { upstream: 'p', weight: 100 } } },
        smart: { kind: 'routed', tiers: { fast: 'chat-fast', mid: 'chat-fast', powerful: 'chat-powerful' } },
      },
    }, { routeDecider: decider }));
    const c = new OpenAI({ apiKey: 'k', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const short = await c.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }).withResponse();
    expect(short.data.choices[0]?.message.content).toBe('fast answer');
    expect(short.response.headers.get('x-llmops-tier')).toBe('fast');
    expect(short.response.headers.get('x-llmops-deployment')).toBe('chat-fast');
    const long = await c.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'Design a multi-region event-sourced billing system with audits.' }] }).withResponse();
    expect(long.data.choices[0]?.message.content).toBe('powerful answer');
    expect(long.response.headers.get('x-llmops-tier')).toBe('powerful');
    expect(seen[0]).toMatchObject({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 5, tenant: 'anonymous' });
    expect((await c.models.list()).data.map((m) => m.id).sort()).toEqual(['chat-fast', 'chat-powerful', 'smart']);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toContain('llmops_route_decisions_total{deployment="smart",tier="powerful",reason="classifier"} 1');
  });
});

describe('request log sampling', () => {
  it('samples a stable share of request ids (30% ± 1.5 points over 20,000 ids)', () => {
    const db = openGatewayDb(':memory:');
    try {
      const w = new RequestLogWriter(db, { sampleRate: 0.3, redactContent: false });
      let n = 0;
      for (let i = 0; i < 20_000; i++) if (w.sampled(`req-${i}`)) n++;
      // Binomial sd = sqrt(20000 · 0.3 · 0.7) = 64.8, i.e. 0.32 points: 1.5 points is > 4 sd.
      expect(n / 200).toBeGreaterThan(28.5);
      expect(n / 200).toBeLessThan(31.5);
      expect(w.sampled('req-7')).toBe(w.sampled('req-7'));
    } finally {
      db.close();
    }
  });
});
