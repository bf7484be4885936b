import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIProvider } from '../../src/providers/openai.js';
import { ProviderError, type CompletionRequest } from '../../src/providers/types.js';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';

const req: CompletionRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is 2 + 2?' }] };

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe.each([true, false])('OpenAIProvider over the wire (stream: %s)', (stream) => {
  let server: WireServer;
  const provider = (timeoutMs = 5_000) => new OpenAIProvider({ ref: 'test-model', model: 'gpt-test', apiKey: 'sk-test', baseURL: server.url, timeoutMs, stream });

  beforeAll(async () => { server = await startOpenAIServer({ handler: () => ({ text: 'The answer is 4.', usage: { inputTokens: 17, outputTokens: 6 } }) }); });
  afterAll(async () => { await server.close(); });

  it('returns the text and the reported usage; TTFT only when streamed', async () => {
    const before = server.requestCount;
    const r = await provider().complete({ ...req, temperature: 0.2, maxTokens: 50, json: true });
    expect(r.text).toBe('The answer is 4.');
    expect(r.inputTokens).toBe(17);
    expect(r.outputTokens).toBe(6);
    expect(r.finishReason).toBe('stop');
    expect(r.model).toBe('gpt-test');
    expect(r.latencyMs).toBeGreaterThan(0);
    if (stream) {
      expect(r.ttftMs).not.toBeNull();
      expect(r.ttftMs!).toBeLessThanOrEqual(r.latencyMs);
    } else expect(r.ttftMs).toBeNull();
    const sent = server.requests[before]!;
    expect(server.requestCount).toBe(before + 1);
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.body).toMatchObject({
      model: 'gpt-test', temperature: 0.2, max_tokens: 50, response_format: { type: 'json_object' },
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is 2 + 2?' }],
    });
    if (stream) expect(sent.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    else expect(sent.body.stream).toBe(false);
  });

  it('measures TTFT at the first content chunk, before the rest of the stream', async () => {
    server.enqueue({ chunks: ['a', 'b', 'c', 'd'], chunkDelayMs: 40 });
    const r = await provider().complete(req);
    expect(r.text).toBe('abcd');
    if (stream) expect(r.latencyMs - r.ttftMs!).toBeGreaterThan(60); // three more 40 ms gaps followed the first piece
  });

  it('relays each content piece to onDelta as it arrives (one piece when not streamed)', async () => {
    server.enqueue({ chunks: ['The ', 'answer ', 'is 4.'] });
    const pieces: string[] = [];
    const r = await provider().complete({ ...req, onDelta: (p) => pieces.push(p) });
    expect(pieces.join('')).toBe(r.text);
    expect(pieces).toEqual(stream ? ['The ', 'answer ', 'is 4.'] : ['The answer is 4.']);
  });

  it('falls back to approximate token counts when the server reports no usage', async () => {
    server.enqueue({ text: 'x'.repeat(40), usage: null });
    const r = await provider().complete(req);
    expect(r.outputTokens).toBe(10);
    expect(r.inputTokens).toBe(Math.ceil(('Be brief.'.length + 'What is 2 + 2?'.length) / 4));
  });

  it('429 with Retry-After seconds → rate_limit with retryAfterMs', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '3' }, errorMessage: 'Rate limit reached' });
    const e = await failure(provider().complete(req));
    expect(e.kind).toBe('rate_limit');
    expect(e.status).toBe(429);
    expect(e.retryAfterMs).toBe(3000);
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('Rate limit reached');
  });

  it('429 with retry-after-ms takes precedence', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } });
    const e = await failure(provider().complete(req));
    expect(e.retryAfterMs).toBe(1500);
  });

  it.each([
    [500, 'transient', true],
    [503, 'transient', true],
    [401, 'auth', false],
    [403, 'auth', false],
    [400, 'bad_request', false],
    [404, 'bad_request', false],
  ] as const)('HTTP %i → %s (retryable %s)', async (status, kind, retryable) => {
    server.enqueue({ status, errorMessage: `scripted ${status}` });
    const e = await failure(provider().complete(req));
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    expect(e.retryable).toBe(retryable);
  });

  it('a server slower than the SDK timeout → timeout', async () => {
    server.enqueue({ headersDelayMs: 1_000 });
    const e = await failure(provider(150).complete(req));
    expect(e.kind).toBe('timeout');
  });

  it('our own deadline on req.signal → timeout; a plain cancel → aborted', async () => {
    server.enqueue({ headersDelayMs: 1_000 });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('timed out after 100 ms')), 100);
    expect((await failure(provider().complete({ ...req, signal: ctl.signal }))).kind).toBe('timeout');

    server.enqueue({ headersDelayMs: 1_000 });
    const ctl2 = new AbortController();
    setTimeout(() => ctl2.abort(), 100);
    expect((await failure(provider().complete({ ...req, signal: ctl2.signal }))).kind).toBe('aborted');
  });

  it('a connection reset mid-response → network, saying so', async () => {
    server.enqueue({ text: 'a long answer that will be cut', destroyAfterChunks: 1 });
    const e = await failure(provider().complete(req));
    expect(e.kind).toBe('network');
    if (stream) expect(e.message).toMatch(/mid-stream/);
    expect(e.retryable).toBe(true);
  });

  it('a connection refused → network', async () => {
    const dead = await startOpenAIServer();
    const url = dead.url;
    await dead.close();
    const p = new OpenAIProvider({ ref: 'x', model: 'gpt-test', apiKey: 'k', baseURL: url, timeoutMs: 2_000, stream });
    const e = await failure(p.complete(req));
    expect(e.kind).toBe('network');
  });
});
