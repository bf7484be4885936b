import { describe, expect, it } from 'vitest';
import { cacheableStream, replayFrames } from '../../src/gateway/cache-replay.js';
import { chatCompletion } from '../../src/gateway/upstream/openai-format.js';
import { SseParser } from '../../src/gateway/upstream/sse.js';

const entry = (body: unknown) => ({ variant: 'baseline', body: JSON.stringify(body), inputTokens: 5, outputTokens: 2, text: 'hi there' });
const completion = (message: Record<string, unknown>, finish = 'stop') => ({ id: 'chatcmpl-1', object: 'chat.completion', created: 7, model: 'm', choices: [{ index: 0, message, finish_reason: finish }] });

function events(frames: string[]): unknown[] {
  const parser = new SseParser();
  return frames.flatMap((f) => parser.feed(f)).map((e) => (e.data === '[DONE]' ? '[DONE]' : JSON.parse(e.data)));
}

describe('cache replay between streamed and non-streamed requests', () => {
  it('replays a text completion as role+text, finish, usage (when asked) and [DONE] chunks', () => {
    const frames = replayFrames(entry(completion({ role: 'assistant', content: 'hi there' }, 'length')), true)!;
    expect(events(frames)).toEqual([
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 7, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'hi there' }, finish_reason: null, logprobs: null }] },
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 7, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'length', logprobs: null }] },
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 7, model: 'm', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
      '[DONE]',
    ]);
    expect(events(replayFrames(entry(completion({ role: 'assistant', content: 'hi there' })), false)!)).toHaveLength(3);
  });

  it('does not replay completions that are more than text or ended otherwise', () => {
    expect(replayFrames(entry(completion({ role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'tool_calls')), true)).toBeUndefined();
    expect(replayFrames(entry(completion({ role: 'assistant', content: 'x', function_call: { name: 'f' } })), true)).toBeUndefined();
    expect(replayFrames(entry(completion({ role: 'assistant', content: 'x' }, 'content_filter')), true)).toBeUndefined();
    expect(replayFrames({ ...entry({}), body: 'not json' }, true)).toBeUndefined();
  });

  it('stores a stream only when it finished with stop or length and carried only text', () => {
    expect(cacheableStream('stop', false)).toBe(true);
    expect(cacheableStream('length', false)).toBe(true);
    expect(cacheableStream('stop', true)).toBe(false);
    expect(cacheableStream('tool_calls', false)).toBe(false);
    expect(cacheableStream(undefined, false)).toBe(false);
  });

  it('builds the chat.completion a stream amounts to', () => {
    expect(JSON.parse(JSON.stringify(chatCompletion({ id: 'chatcmpl-r', model: 'm', created: 3 }, 'abc', 'stop', { inputTokens: 4, outputTokens: 1 })))).toEqual({
      id: 'chatcmpl-r', object: 'chat.completion', created: 3, model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'abc', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
    });
  });
});
