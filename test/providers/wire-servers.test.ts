import { describe, expect, it } from 'vitest';
import { startAnthropicServer } from '../support/wire/anthropic-server.js';
import { startOpenAIServer } from '../support/wire/openai-server.js';

/** The test servers speak the real wire formats; checked here with raw fetch, no SDK in between. */
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('wire test servers', () => {
  it('OpenAI: SSE chunks, usage chunk only with include_usage, then [DONE]; requests recorded', async () => {
    const s = await startOpenAIServer({ handler: () => ({ chunks: ['He', 'llo'], usage: { inputTokens: 3, outputTokens: 2 } }) });
    try {
      const res = await post(`${s.url}/chat/completions`, { model: 'm', messages: [], stream: true, stream_options: { include_usage: true } });
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const frames = (await res.text()).split('\n\n').filter(Boolean);
      expect(frames.every((f) => f.startsWith('data: '))).toBe(true);
      expect(frames.at(-1)).toBe('data: [DONE]');
      const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.slice(6)) as { choices: Array<{ delta: { content?: string }; finish_reason: string | null }>; usage?: unknown });
      expect(chunks.flatMap((c) => c.choices.map((x) => x.delta.content ?? '')).join('')).toBe('Hello');
      expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
      const noUsage = await (await post(`${s.url}/chat/completions`, { model: 'm', messages: [], stream: true })).text();
      expect(noUsage).not.toContain('prompt_tokens');
      expect(s.requestCount).toBe(2);
      expect(s.requests[0]!.stream).toBe(true);
      s.enqueue({ status: 429, headers: { 'retry-after': '1' }, errorMessage: 'slow down' });
      const limited = await post(`${s.url}/chat/completions`, { model: 'm', messages: [] });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(await limited.json()).toMatchObject({ error: { message: 'slow down', type: 'rate_limit_exceeded' } });
      expect((await post(`${s.origin}/nope`, {})).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('Anthropic: event-named SSE in order, JSON answers, errors in its format', async () => {
    const s = await startAnthropicServer({ handler: () => ({ text: 'Hi there' }) });
    try {
      const res = await post(`${s.url}/v1/messages`, { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'hello' }], stream: true });
      const events = (await res.text()).split('\n\n').filter(Boolean).map((f) => f.split('\n')[0]);
      expect(events[0]).toBe('event: message_start');
      expect(events.slice(-3)).toEqual(['event: content_block_stop', 'event: message_delta', 'event: message_stop']);
      expect(events.filter((e) => e === 'event: content_block_delta').length).toBeGreaterThan(0);
      const json = await (await post(`${s.url}/v1/messages`, { model: 'c', max_tokens: 5, messages: [] })).json();
      expect(json).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'Hi there' }], stop_reason: 'end_turn' });
      s.enqueue({ status: 529 });
      expect(await (await post(`${s.url}/v1/messages`, {})).json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    } finally {
      await s.close();
    }
  });
});
