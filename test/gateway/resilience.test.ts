import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startAnthropicServer } from '../support/wire/anthropic-server.js';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';

const open = closeAfterEach();

async function upstream(text: string): Promise<WireServer> {
  const s = await startOpenAIServer({ handler: () => ({ text }) });
  open.server(s);
  return s;
}
const client = (url: string) => new OpenAI({ apiKey: 'k', baseURL: `${url}/v1`, maxRetries: 0 });
const ask = (url: string, user = 'u1') => client(url).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], user });

describe('retries, fallback and the circuit breaker', () => {
  it('retries 429 and 5xx before answering, honouring the retry policy', async () => {
    const a = await upstream('finally');
    a.enqueue({ status: 429, headers: { 'retry-after-ms': '1' } }, { status: 503 });
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    const r = await ask(gw.url);
    expect(r.choices[0]?.message.content).toBe('finally');
    expect(a.requestCount).toBe(3);
  });

  it('a 200 whose body is not JSON is the upstream’s failure: retried, then 502 (OpenAI and Anthropic upstreams alike)', async () => {
    const a = await upstream('recovered');
    a.enqueue({ rawBody: '{"choices": [' });
    const openaiGw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    expect((await ask(openaiGw.url)).choices[0]?.message.content).toBe('recovered');
    expect(a.requestCount).toBe(2);
    await openaiGw.shutdown(1000);

    const claude = await startAnthropicServer({ script: [{ rawBody: 'not json' }, { rawBody: 'not json' }] });
    open.server(claude);
    const gw = open.gateway(await startTestGateway({
      upstreams: { claude: { type: 'anthropic', baseURL: claude.url, apiKeyEnv: 'K', model: 'claude-test' } },
      deployments: { chat: { variants: { baseline: { upstream: 'claude', weight: 100 } } } },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    }, { env: { K: 'sk' } }));
    const err = await ask(gw.url).catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_error');
    expect(claude.requestCount).toBe(2);
  });

  it('does not retry a 400 (the client’s error) and passes its status through', async () => {
    const a = await upstream('x');
    const b = await upstream('fallback');
    a.enqueue({ status: 400, errorMessage: 'bad param' });
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url, b: b.url }, { baseline: { upstream: 'a', weight: 100 } }, { deployment: { fallback: ['b'] } })));
    await expect(ask(gw.url)).rejects.toMatchObject({ status: 400 });
    expect(a.requestCount).toBe(1);
    expect(b.requestCount).toBe(0);
  });

  it('falls back to the next upstream when the variant’s upstream keeps failing', async () => {
    const a = await upstream('x');
    const b = await upstream('from fallback');
    a.setHandler(() => ({ status: 500 }));
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url, b: b.url }, { baseline: { upstream: 'a', weight: 100 } }, { deployment: { fallback: ['b'] } })));
    const { data, response } = await ask(gw.url).withResponse();
    expect(data.choices[0]?.message.content).toBe('from fallback');
    expect(response.headers.get('x-llmops-variant')).toBe('baseline');
    expect(a.requestCount).toBe(3); // maxAttempts on the primary, then the fallback
    expect(b.requestCount).toBe(1);
  });

  it('fails over on a refused connection (upstream down)', async () => {
    const dead = await upstream('never');
    const deadUrl = dead.url;
    await dead.close();
    const b = await upstream('alive');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: deadUrl, b: b.url }, { baseline: { upstream: 'a', weight: 100 } }, { deployment: { fallback: ['b'] } })));
    expect((await ask(gw.url)).choices[0]?.message.content).toBe('alive');
  });

  it('times out a slow upstream and answers 504 when nothing else is left', async () => {
    const a = await upstream('slow');
    a.setHandler(() => ({ headersDelayMs: 1500 }));
    const cfg = splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    (cfg.upstreams as Record<string, { timeoutMs: number }>).a!.timeoutMs = 200;
    const gw = open.gateway(await startTestGateway(cfg));
    await expect(ask(gw.url)).rejects.toMatchObject({ status: 504 });
  });

  it('for a stream, timeoutMs bounds the wait for the first piece, not the length of the answer', async () => {
    const a = await upstream('unused');
    a.setHandler(() => ({ text: 'one two three four five six seven eight', chunkDelayMs: 100 })); // first piece after 100 ms, the whole answer after ~1.1 s
    const cfg = splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    (cfg.upstreams as Record<string, { timeoutMs: number }>).a!.timeoutMs = 400;
    const gw = open.gateway(await startTestGateway(cfg));
    const stream = await client(gw.url).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('one two three four five six seven eight');
    // No first piece within timeoutMs: a 504 before anything was sent.
    a.setHandler(() => ({ headersDelayMs: 1500 }));
    await expect(client(gw.url).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true })).rejects.toMatchObject({ status: 504 });
  });

  it('opens the breaker after repeated failures (no more upstream calls), then closes it after a good half-open probe', async () => {
    const a = await upstream('ok');
    a.setHandler(() => ({ status: 500 }));
    const cfg = splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, {
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      breaker: { failureThreshold: 3, openSeconds: 0.3, halfOpenProbes: 1 },
    });
    const gw = open.gateway(await startTestGateway(cfg));
    for (let i = 0; i < 3; i++) await expect(ask(gw.url)).rejects.toMatchObject({ status: 502 });
    expect(a.requestCount).toBe(3);
    // Open: refused at the gateway, the upstream is not called.
    await expect(ask(gw.url)).rejects.toMatchObject({ status: 503 });
    expect(a.requestCount).toBe(3);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toContain('llmops_breaker_state{upstream="a"} 2');
    a.setHandler(() => ({ text: 'recovered' }));
    await new Promise((r) => setTimeout(r, 350));
    expect((await ask(gw.url)).choices[0]?.message.content).toBe('recovered');
    expect(a.requestCount).toBe(4);
    expect(gw.runtime.upstream('a').breaker.state(Date.now())).toBe('closed');
  });

  it('retries a stream that failed before its first byte reached the client', async () => {
    const a = await upstream('streamed answer');
    a.enqueue({ destroyAfterChunks: 0 });
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    const s = await client(gw.url).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const c of s) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('streamed answer');
    expect(a.requestCount).toBe(2);
  });

  it('never retries a stream that already sent output: the client sees the partial text and an error, the upstream one call', async () => {
    const a = await upstream('x');
    const b = await upstream('fallback');
    a.enqueue({ chunks: ['first ', 'second ', 'third'], destroyAfterChunks: 1 });
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url, b: b.url }, { baseline: { upstream: 'a', weight: 100 } }, { deployment: { fallback: ['b'] } })));
    const s = await client(gw.url).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    await expect((async () => {
      for await (const c of s) text += c.choices[0]?.delta.content ?? '';
    })()).rejects.toThrow(/upstream stream failed/);
    expect(text).toBe('first ');
    expect(a.requestCount).toBe(1);
    expect(b.requestCount).toBe(0);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/llmops_requests_total\{deployment="chat",variant="baseline",status="502"\} 1/);
  });

  it('serves temperature-0 requests from the cache within the TTL', async () => {
    const a = await upstream('deterministic');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { deployment: { cache: { ttlSeconds: 60 } } })));
    const c = client(gw.url);
    const body = { model: 'chat', messages: [{ role: 'user' as const, content: 'same' }], temperature: 0 };
    const first = await c.chat.completions.create(body);
    const { data, response } = await c.chat.completions.create(body).withResponse();
    expect(data.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(response.headers.get('x-llmops-cache')).toBe('hit');
    expect(a.requestCount).toBe(1);
    await c.chat.completions.create({ ...body, temperature: 0.7 });
    expect(a.requestCount).toBe(2);
  });

  it('caches a streamed temperature-0 answer for streamed and non-streamed repeats, and replays a cached completion as a stream', async () => {
    const a = open.server(await startOpenAIServer({ handler: () => ({ text: 'one two three', chunks: ['one ', 'two ', 'three'], usage: { inputTokens: 9, outputTokens: 3 } }) }));
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { deployment: { cache: { ttlSeconds: 60 } } })));
    const c = client(gw.url);
    const body = { model: 'chat', messages: [{ role: 'user' as const, content: 'count' }], temperature: 0 };
    const streamed = async () => {
      const { data: s, response } = await c.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }).withResponse();
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      let finish: string | null | undefined;
      for await (const chunk of s) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      return { text, usage, finish, cache: response.headers.get('x-llmops-cache') };
    };
    expect(await streamed()).toEqual({ text: 'one two three', usage: expect.objectContaining({ prompt_tokens: 9, completion_tokens: 3 }), finish: 'stop', cache: null });
    // The repeat is replayed from the cache as a stream, usage included when asked for.
    expect(await streamed()).toEqual({ text: 'one two three', usage: expect.objectContaining({ prompt_tokens: 9, completion_tokens: 3 }), finish: 'stop', cache: 'hit' });
    // The same request without streaming gets the completion the stream amounted to.
    const { data, response } = await c.chat.completions.create(body).withResponse();
    expect(response.headers.get('x-llmops-cache')).toBe('hit');
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'one two three' }, finish_reason: 'stop' });
    expect(data.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 });
    expect(a.requestCount).toBe(1);
    // The request log and metrics see the hits as cached, at no cost.
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/llmops_cache_hits_total\{deployment="chat"\} 2/);
  });

  it('does not cache a stream that ended for another reason than stop or length', async () => {
    const a = open.server(await startOpenAIServer({ handler: () => ({ text: 'partial', finishReason: 'content_filter' }) }));
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { deployment: { cache: { ttlSeconds: 60 } } })));
    const c = client(gw.url);
    for (let i = 0; i < 2; i++) {
      const s = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], temperature: 0, stream: true });
      for await (const _ of s) void _;
    }
    expect(a.requestCount).toBe(2);
  });
});
