import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';

const open = closeAfterEach();

async function upstream(text: string): Promise<WireServer> {
  const s = await startOpenAIServer({ handler: () => ({ text, usage: { inputTokens: 7, outputTokens: 3 } }) });
  open.server(s);
  return s;
}

const client = (url: string, extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) => new OpenAI({ apiKey: 'anything', baseURL: `${url}/v1`, maxRetries: 0, ...extra });

describe('chat completions through the gateway (official openai SDK)', () => {
  it('answers a non-streamed request with the deployment, variant and request id headers', async () => {
    const a = await upstream('from A');
    const before = Date.now();
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    const { data, response } = await client(gw.url).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], user: 'u1' }).withResponse();
    expect(data.choices[0]?.message.content).toBe('from A');
    expect(data.usage?.prompt_tokens).toBe(7);
    expect(response.headers.get('x-llmops-deployment')).toBe('chat');
    expect(response.headers.get('x-llmops-variant')).toBe('baseline');
    // A UUIDv7 (time-ordered, see src/util/uuid7.ts) whose timestamp is the request's arrival.
    const requestId = response.headers.get('x-llmops-request-id') ?? '';
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const idTime = Number.parseInt(requestId.slice(0, 8) + requestId.slice(9, 13), 16);
    expect(idTime).toBeGreaterThanOrEqual(before);
    expect(idTime).toBeLessThanOrEqual(Date.now());
    // The upstream gets its own model id, not the deployment name.
    expect(a.requests[0]?.body.model).toBe('a-model');
  });

  it('streams chunk by chunk and reports usage only when asked', async () => {
    const a = await upstream('one two three');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    const stream = await client(gw.url).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const parts: string[] = [];
    let usageSeen = false;
    for await (const c of stream) {
      if (c.usage) usageSeen = true;
      const t = c.choices[0]?.delta.content;
      if (t) parts.push(t);
    }
    expect(parts.join('')).toBe('one two three');
    expect(parts.length).toBeGreaterThan(1);
    expect(usageSeen).toBe(false);
    const withUsage = await client(gw.url).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const c of withUsage) if (c.usage) usage = c.usage;
    expect(usage?.completion_tokens).toBe(3);
  });

  it('lists deployments at /v1/models', async () => {
    const a = await upstream('x');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    const models = await client(gw.url).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['chat']);
  });

  it('answers 404 for an unknown model', async () => {
    const a = await upstream('x');
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    await expect(client(gw.url).chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 404 });
  });
});
