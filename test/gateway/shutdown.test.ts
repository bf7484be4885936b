import http from 'node:http';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startOpenAIServer } from '../support/wire/openai-server.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';

const open = closeAfterEach();
let gw: RunningGateway | undefined;

async function slowStreamingGateway(chunkDelayMs: number) {
  const server = open.server(await startOpenAIServer({ handler: () => ({ chunks: ['a', 'b', 'c', 'd', 'e'], chunkDelayMs }) }));
  gw = open.gateway(await startTestGateway(splitConfig({ a: server.url }, { baseline: { upstream: 'a', weight: 100 } })));
  return new OpenAI({ apiKey: 'k', baseURL: `${gw.url}/v1`, maxRetries: 0 });
}

describe('graceful shutdown', () => {
  it('drains a stream in flight and refuses new connections meanwhile', async () => {
    const c = await slowStreamingGateway(80);
    const s = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const reading = (async () => {
      let t = '';
      for await (const ch of s) t += ch.choices[0]?.delta.content ?? '';
      return t;
    })();
    await new Promise((r) => setTimeout(r, 50));
    const url = gw!.url;
    const stopping = gw!.shutdown(5000);
    // The listener is closed: a new connection is refused.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(await reading).toBe('abcde');
    expect(await stopping).toEqual({ drained: true });
  });

  it('cuts streams still running at the deadline', async () => {
    await slowStreamingGateway(400);
    // node:http as the client, so the cut connection is observed as an event, not a rejected stream.
    const reading = new Promise<string>((resolve) => {
      const req = http.request(`${gw!.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('close', () => resolve(text));
        res.on('error', () => resolve(text));
      });
      req.on('error', () => resolve(''));
      req.end(JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true }));
    });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    expect(await gw!.shutdown(300)).toEqual({ drained: false });
    expect(Date.now() - t0).toBeLessThan(2000);
    // The client sees the connection end before the stream's [DONE].
    expect(await reading).not.toContain('[DONE]');
  });
});
