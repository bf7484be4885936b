/**
 * The request path must not mint a hidden class (V8 map) per request. On Node 20 an object
 * spread followed by more properties (`{ ...outcome, requestId }`) does exactly that; the maps
 * pile up in old space and the mark-compacts they force were the gateway's p99 tail. V8's own
 * %HaveSameMap says whether two objects share a map: natives syntax is switched on for this
 * worker only, and only functions compiled after that may use it.
 */
import { setFlagsFromString } from 'node:v8';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { RequestCompletedEvent } from '../../src/gateway/events.js';
import { startOpenAIServer } from '../support/wire/openai-server.js';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';

setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const open = closeAfterEach();

describe('hidden classes on the request path', () => {
  it('request events, streamed and not, ok and failed, all share one map', async () => {
    let fail = false;
    const up = open.server(await startOpenAIServer({ handler: () => (fail ? { status: 500 } : { text: 'the answer', usage: { inputTokens: 4, outputTokens: 2 } }) }));
    const gw = open.gateway(await startTestGateway(splitConfig({ a: up.url }, { baseline: { upstream: 'a', weight: 100 } }, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } })));
    const events: RequestCompletedEvent[] = [];
    gw.runtime.events.on('request', (e) => events.push(e));
    const client = new OpenAI({ apiKey: 'k', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: `q${i}` }], user: `u${i}` });
    for (let i = 0; i < 3; i++) {
      const s = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: `s${i}` }], stream: true });
      for await (const _ of s) void _;
    }
    fail = true;
    for (let i = 0; i < 2; i++) await expect(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();
    expect(events).toHaveLength(8);
    // Every event is built by one literal, so all eight share a map whatever path produced them.
    for (const e of events.slice(1)) expect(sameMap(events[0]!, e)).toBe(true);
    expect(events.map((e) => e.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'error', 'error']);
  });
});
