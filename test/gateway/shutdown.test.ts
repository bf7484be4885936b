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

  it('ends streams still running at the deadline with an in-band error event, then closes', async () => {
    await slowStreamingGateway(300);
    // node:http as the client, so the end of the connection is observed as an event, not a rejected stream.
    let firstContent: () => void = () => undefined;
    const sawContent = new Promise<void>((r) => (firstContent = r));
    const reading = new Promise<string>((resolve) => {
      const req = http.request(`${gw!.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('"content":"a"')) firstContent();
        });
        res.on('close', () => resolve(text));
        res.on('error', () => resolve(text));
      });
      req.on('error', () => resolve(''));
      req.end(JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true }));
    });
    await sawContent; // mid-stream: "b" is due 300 ms later
    const t0 = Date.now();
    expect(await gw!.shutdown(100)).toEqual({ drained: false });
    expect(Date.now() - t0).toBeLessThan(2000);
    // The stream ends with an OpenAI-style error event instead of its [DONE].
    const text = await reading;
    expect(text).not.toContain('[DONE]');
    const last = text.trim().split('\n\n').at(-1)!;
    expect(JSON.parse(last.replace(/^data: /, ''))).toMatchObject({ error: { type: 'server_error', code: 'gateway_shutting_down' } });
    expect(text).toContain('"content":"a"'); // what was sent before the deadline stays sent
  });

  it('the openai SDK reading a stream cut at the deadline gets an error, not a silent truncation', async () => {
    const c = await slowStreamingGateway(400);
    const events: Array<{ status: number; errorKind?: string | undefined }> = [];
    gw!.runtime.events.on('request', (e) => events.push({ status: e.status, errorKind: e.errorKind }));
    const s = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    const outcome = (async () => {
      for await (const ch of s) text += ch.choices[0]?.delta.content ?? '';
    })().then(() => undefined, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    expect(await gw!.shutdown(200)).toEqual({ drained: false });
    expect(Date.now() - t0).toBeLessThan(2000);
    const err = await outcome;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err).toMatchObject({ code: 'gateway_shutting_down', type: 'server_error', message: expect.stringMatching(/shutting down/) });
    expect(text.length).toBeLessThan(5); // cut before the end, and said so
    // Counted as a failed request (503), not as a client abort or an upstream failure.
    expect(events).toEqual([{ status: 503, errorKind: 'shutdown' }]);
  });

  it.each([false, true])('a request still waiting on its upstream at the deadline gets a retryable 503 (stream: %s), not a dropped connection', async (stream) => {
    const server = open.server(await startOpenAIServer({ handler: () => ({ text: 'late', headersDelayMs: 5000 }) }));
    gw = open.gateway(await startTestGateway(splitConfig({ a: server.url }, { baseline: { upstream: 'a', weight: 100 } })));
    const c = new OpenAI({ apiKey: 'k', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const events: Array<{ status: number; errorKind?: string | undefined }> = [];
    gw.runtime.events.on('request', (e) => events.push({ status: e.status, errorKind: e.errorKind }));
    const answer = (stream
      ? c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true }).then(async (s) => { for await (const _ of s) { /* drain */ } })
      : c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })
    ).then(() => undefined, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    expect(await gw.shutdown(200)).toEqual({ drained: false });
    expect(Date.now() - t0).toBeLessThan(2000);
    const err = await answer;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err).toMatchObject({ status: 503, code: 'gateway_shutting_down', message: expect.stringMatching(/shutting down/) });
    expect((err as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('1');
    expect(events).toEqual([{ status: 503, errorKind: 'shutdown' }]);
  });
});
