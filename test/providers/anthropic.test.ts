import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicProvider, DEFAULT_ANTHROPIC_MAX_TOKENS } from '../../src/providers/anthropic.js';
import { ProviderError, type CompletionRequest } from '../../src/providers/types.js';
import { startAnthropicServer, type WireServer } from '../support/wire/anthropic-server.js';

const req: CompletionRequest = { messages: [{ role: 'system', content: 'Answer in one word.' }, { role: 'user', content: 'Capital of France?' }] };

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe.each([true, false])('AnthropicProvider over the wire (stream: %s)', (stream) => {
  let server: WireServer;
  const provider = (timeoutMs = 5_000) => new AnthropicProvider({ ref: 'claude-test', model: 'claude-test-1', apiKey: 'sk-ant-test', baseURL: server.url, timeoutMs, stream });

  beforeAll(async () => { server = await startAnthropicServer({ handler: () => ({ text: 'Paris.', usage: { inputTokens: 21, outputTokens: 3 } }) }); });
  afterAll(async () => { await server.close(); });

  it('maps the system prompt to `system`, returns text and usage, TTFT only when streamed', async () => {
    const before = server.requestCount;
    const r = await provider().complete({ ...req, temperature: 0.3 });
    expect(r.text).toBe('Paris.');
    expect(r.inputTokens).toBe(21);
    expect(r.outputTokens).toBe(3);
    expect(r.finishReason).toBe('end_turn');
    expect(r.model).toBe('claude-test-1');
    if (stream) {
      expect(r.ttftMs).not.toBeNull();
      expect(r.ttftMs!).toBeLessThanOrEqual(r.latencyMs);
    } else expect(r.ttftMs).toBeNull();
    const sent = server.requests[before]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-ant-test');
    expect(sent.body).toMatchObject({
      model: 'claude-test-1', system: 'Answer in one word.', temperature: 0.3, max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS,
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    expect(sent.stream).toBe(stream);
  });

  it('TTFT marks the first text delta, before the rest of the stream', async () => {
    server.enqueue({ chunks: ['Pa', 'r', 'i', 's'], chunkDelayMs: 40 });
    const r = await provider().complete({ ...req, maxTokens: 7 });
    expect(r.text).toBe('Paris');
    expect(server.requests[server.requestCount - 1]!.body.max_tokens).toBe(7);
    if (stream) expect(r.latencyMs - r.ttftMs!).toBeGreaterThan(60);
  });

  it('relays text deltas to onDelta', async () => {
    server.enqueue({ chunks: ['Par', 'is.'] });
    const pieces: string[] = [];
    const r = await provider().complete({ ...req, onDelta: (p) => pieces.push(p) });
    expect(pieces).toEqual(stream ? ['Par', 'is.'] : ['Paris.']);
    expect(r.text).toBe('Paris.');
  });

  it('429 with an HTTP-date Retry-After → rate_limit with retryAfterMs', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': new Date(Date.now() + 5_000).toUTCString() } });
    const e = await failure(provider().complete(req));
    expect(e.kind).toBe('rate_limit');
    // HTTP dates have 1 s resolution: between 3 and 5 s from now.
    expect(e.retryAfterMs).toBeGreaterThan(3_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(5_000);
  });

  it.each([
    [500, 'transient'],
    [529, 'transient'], // overloaded_error
    [401, 'auth'],
    [400, 'bad_request'],
  ] as const)('HTTP %i → %s', async (status, kind) => {
    server.enqueue({ status, errorMessage: `scripted ${status}` });
    const e = await failure(provider().complete(req));
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    expect(e.message).toContain(`scripted ${status}`);
  });

  it('slower than the timeout → timeout', async () => {
    server.enqueue({ headersDelayMs: 1_000 });
    expect((await failure(provider(150).complete(req))).kind).toBe('timeout');
  });

  it('a connection reset mid-response → network', async () => {
    server.enqueue({ text: 'a long answer that will be cut', destroyAfterChunks: 1 });
    const e = await failure(provider().complete(req));
    expect(e.kind).toBe('network');
    if (stream) expect(e.message).toMatch(/mid-stream/);
  });
});
