import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import type { RequestCompletedEvent } from '../../src/gateway/events.js';
import { GatewayRuntime } from '../../src/gateway/runtime.js';

const config = parseGatewayConfig({
  upstreams: { a: { type: 'sim', model: 'm' } },
  deployments: { chat: { variants: { baseline: { upstream: 'a', weight: 90 }, candidate: { upstream: 'a', weight: 10 } } } },
});
const event = (i: number): RequestCompletedEvent => ({
  requestId: `req-${i}`, time: i, deployment: 'chat', variant: i % 10 === 0 ? 'candidate' : 'baseline', upstream: 'a', tenant: 'default', userHash: 'anonymous',
  status: 200, outcome: 'ok', stream: false, cached: false, messages: [], latencyMs: 1, ttftMs: null, inputTokens: 1, outputTokens: 1, costUsd: 0, responseText: '',
} as RequestCompletedEvent);

describe('request attribution for feedback', () => {
  it('remembers at least the newest half of recentRequests ids, forgets older ones, and shares attribution objects', async () => {
    const rt = new GatewayRuntime({ config, env: {}, recentRequests: 1_000 });
    try {
      for (let i = 0; i < 1_000; i++) rt.events.emit('request', event(i));
      expect(rt.lookupRequest('req-0')).toEqual({ deployment: 'chat', variant: 'candidate', tenant: 'default' });
      expect(rt.lookupRequest('req-999')).toEqual({ deployment: 'chat', variant: 'baseline', tenant: 'default' });
      for (let i = 1_000; i < 1_600; i++) rt.events.emit('request', event(i));
      // 1,600 seen: the newest 500 (and up to 500 before them) are kept; req-0 is gone.
      expect(rt.lookupRequest('req-0')).toBeUndefined();
      for (let i = 1_100; i < 1_600; i++) expect(rt.lookupRequest(`req-${i}`)?.variant).toBe(i % 10 === 0 ? 'candidate' : 'baseline');
      expect(rt.lookupRequest('req-1101')).toBe(rt.lookupRequest('req-1599'));
      expect(rt.lookupRequest('never')).toBeUndefined();
    } finally {
      await rt.close();
    }
  });
});
