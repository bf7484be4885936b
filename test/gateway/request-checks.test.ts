import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';
import { chatRequestError } from '../../src/gateway/chat-request.js';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';

const open = closeAfterEach();
const hi = [{ role: 'user', content: 'hi' }];

async function gateway(): Promise<{ url: string; upstream: WireServer }> {
  const upstream = open.server(await startOpenAIServer({ handler: () => ({ text: 'ok', chunks: ['o', 'k'] }) }));
  const gw = open.gateway(await startTestGateway(splitConfig({ a: upstream.url }, { baseline: { upstream: 'a', weight: 100 } })));
  return { url: gw.url, upstream };
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('chat request field checks (400 in OpenAI error format, before any upstream call)', () => {
  it.each([
    ['stream', { model: 'chat', messages: hi, stream: 'yes' }, 'invalid_type'],
    ['temperature', { model: 'chat', messages: hi, temperature: 'hot' }, 'invalid_type'],
    ['messages[0].role', { model: 'chat', messages: [{ role: 'wizard', content: 'hi' }] }, 'invalid_value'],
    ['messages[1].content', { model: 'chat', messages: [...hi, { role: 'user', content: 42 }] }, 'invalid_type'],
    ['messages[0].content', { model: 'chat', messages: [{ role: 'user' }] }, 'missing_required_parameter'],
    ['messages[0].content[0].type', { model: 'chat', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }, 'invalid_type'],
    ['messages', { model: 'chat', messages: [] }, 'empty_array'],
    ['messages', { model: 'chat', messages: 'hi' }, 'invalid_type'],
    ['model', { messages: hi }, 'missing_required_parameter'],
    ['model', { model: 7, messages: hi }, 'invalid_type'],
    ['stream_options', { model: 'chat', messages: hi, stream: true, stream_options: true }, 'invalid_type'],
    ['stream_options.include_usage', { model: 'chat', messages: hi, stream: true, stream_options: { include_usage: 'yes' } }, 'invalid_type'],
    ['top_p', { model: 'chat', messages: hi, top_p: '0.9' }, 'invalid_type'],
    ['max_tokens', { model: 'chat', messages: hi, max_tokens: 1.5 }, 'invalid_value'],
    ['max_completion_tokens', { model: 'chat', messages: hi, max_completion_tokens: '100' }, 'invalid_type'],
    ['n', { model: 'chat', messages: hi, n: 0 }, 'invalid_value'],
    ['user', { model: 'chat', messages: hi, user: 42 }, 'invalid_type'],
  ])('%s: 400 invalid_request_error naming the field', async (param, body, code) => {
    const { url, upstream } = await gateway();
    const r = await post(url, body);
    expect(r.status).toBe(400);
    const e = ((await r.json()) as { error: { type: string; param: string | null; code: string; message: string } }).error;
    expect(e).toMatchObject({ type: 'invalid_request_error', param, code });
    expect(e.message).toContain(`'${param}'`);
    expect(upstream.requestCount).toBe(0);
  });

  it('a body that is not an object has no param', async () => {
    const { url } = await gateway();
    const r = await post(url, [1, 2]);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { param: unknown; type: string } }).error).toMatchObject({ param: null, type: 'invalid_request_error' });
  });

  it('the openai SDK surfaces the error with its param', async () => {
    const { url } = await gateway();
    const client = new OpenAI({ apiKey: 'k', baseURL: `${url}/v1`, maxRetries: 0 });
    const err = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'wizard' as 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, param: 'messages[0].role', code: 'invalid_value', type: 'invalid_request_error' });
  });

  it('valid requests pass, with nulls where OpenAI allows them and unknown fields forwarded untouched', async () => {
    const { url, upstream } = await gateway();
    const body = {
      model: 'chat', temperature: null, top_p: 1, max_tokens: null, max_completion_tokens: 5, n: 1, user: 'u1', stream: false, stream_options: null,
      messages: [
        { role: 'developer', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't1', content: 'result' },
      ],
      seed: 7, logit_bias: { '50256': -100 }, x_vendor_option: { deep: [1, 2] },
    };
    const r = await post(url, body);
    expect(r.status).toBe(200);
    const sent = upstream.requests[0]!.body;
    expect(sent).toMatchObject({ seed: 7, logit_bias: { '50256': -100 }, x_vendor_option: { deep: [1, 2] }, max_completion_tokens: 5 });
    expect(sent.messages).toEqual(body.messages);
    // Streamed, with stream_options: the SDK's own request shape is accepted.
    const client = new OpenAI({ apiKey: 'k', baseURL: `${url}/v1`, maxRetries: 0 });
    let text = '';
    for await (const c of await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } })) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('ok');
  });
});

describe('chatRequestError', () => {
  it('returns undefined for a minimal request and reports the first wrong field', () => {
    expect(chatRequestError({ model: 'chat', messages: hi })).toBeUndefined();
    expect(chatRequestError({ model: 'chat', messages: [{ role: 'system', content: 'x' }, { role: 'user', content: null }] })?.param).toBe('messages[1].content');
    expect(chatRequestError({ model: 'chat', messages: [null] })?.param).toBe('messages[0]');
    expect(chatRequestError({ model: '', messages: hi })).toMatchObject({ param: 'model', code: 'invalid_value' });
    expect(chatRequestError(undefined)?.message).toMatch(/empty/);
  });
});
