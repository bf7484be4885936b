import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startAnthropicServer, type WireServer } from '../support/wire/anthropic-server.js';
import { closeAfterEach, startTestGateway } from './helpers.js';
import { AnthropicStreamTranslator, toAnthropicRequest } from '../../src/gateway/upstream/anthropic-translate.js';

const open = closeAfterEach();
let server: WireServer | undefined;

async function gateway(handlerText: string) {
  server = open.server(await startAnthropicServer({ handler: () => ({ text: handlerText, chunks: handlerText.split(/(?<= )/), usage: { inputTokens: 12, outputTokens: 5 }, finishReason: 'max_tokens' }) }));
  const gw = open.gateway(await startTestGateway({
    upstreams: { claude: { type: 'anthropic', baseURL: server.url, apiKeyEnv: 'ANTHROPIC_KEY', model: 'claude-test', maxTokens: 77 } },
    deployments: { chat: { variants: { baseline: { upstream: 'claude', weight: 100 } } } },
  }, { env: { ANTHROPIC_KEY: 'sk-ant' } }));
  return new OpenAI({ apiKey: 'k', baseURL: `${gw.url}/v1`, maxRetries: 0 });
}

describe('Anthropic upstream: translation both ways', () => {
  it('translates the request and the complete response', async () => {
    const c = await gateway('Bonjour le monde');
    const r = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'user', content: 'again' }], temperature: 0.2, stop: ['END'] });
    expect(r.choices[0]?.message.content).toBe('Bonjour le monde');
    expect(r.choices[0]?.finish_reason).toBe('length');
    expect(r.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
    const sent = server!.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-ant');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toEqual({ model: 'claude-test', max_tokens: 77, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi\n\nagain' }], temperature: 0.2, stop_sequences: ['END'] });
  });

  it('translates the event stream into OpenAI chunks, with usage when asked', async () => {
    const c = await gateway('one two three');
    const s = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    const texts: string[] = [];
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const ch of s) {
      const t = ch.choices[0]?.delta.content;
      if (t) texts.push(t);
      if (ch.choices[0]?.finish_reason) finish = ch.choices[0].finish_reason;
      if (ch.usage) usage = ch.usage;
    }
    expect(texts).toEqual(['one ', 'two ', 'three']);
    expect(finish).toBe('length');
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5 });
    expect(server!.requests[0]?.body.stream).toBe(true);
  });

  it('maps an Anthropic 529 (overloaded) to a retry, then answers', async () => {
    const c = await gateway('after overload');
    server!.enqueue({ status: 529 });
    const r = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hi' }] });
    expect(r.choices[0]?.message.content).toBe('after overload');
    expect(server!.requestCount).toBe(2);
  });
});

describe('anthropic-translate (pure)', () => {
  it('clamps temperature to Anthropic’s range, maps max_completion_tokens and user', () => {
    const r = toAnthropicRequest({ model: 'd', messages: [{ role: 'developer', content: 'sys' }, { role: 'assistant', content: [{ type: 'text', text: 'prefill' }] }], temperature: 1.5, max_completion_tokens: 9, user: 'u1' }, 'm', 100);
    expect(r).toEqual({ model: 'm', max_tokens: 9, system: 'sys', messages: [{ role: 'assistant', content: 'prefill' }], temperature: 1, metadata: { user_id: 'u1' } });
  });

  it('throws on a stream error event', () => {
    const t = new AnthropicStreamTranslator(0);
    expect(() => t.translate('error', { error: { type: 'overloaded_error', message: 'busy' } })).toThrow(/overloaded_error/);
  });
});
