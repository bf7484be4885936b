import { describe, expect, it } from 'vitest';
import { fromChatRequest, parseTags } from '../../src/router/chat-request.js';

describe('fromChatRequest', () => {
  it('reads messages (string and content-part arrays), max tokens, JSON mode, tags and context', () => {
    const req = fromChatRequest(
      {
        model: 'assistant',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'image_url', image_url: { url: 'x' } }, { type: 'text', text: 'part two' }] },
        ],
        max_completion_tokens: 512,
        max_tokens: 10,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
        metadata: { tags: 'contract, stakes:high', context: 'doc text' },
      },
      { tenant: 'acme', tags: ['legal-review'] },
    );
    expect(req).toEqual({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'part one\npart two' },
      ],
      maxTokens: 512,
      wantsJson: true,
      context: 'doc text',
      tags: ['legal-review', 'contract', 'stakes:high'],
      tenant: 'acme',
    });
  });

  it('tolerates any body shape without throwing', () => {
    for (const body of [null, 42, 'x', {}, { messages: 'nope' }, { messages: [null, { content: 5 }] }]) {
      const req = fromChatRequest(body);
      expect(Array.isArray(req.messages)).toBe(true);
      expect(req.wantsJson).toBe(false);
    }
    expect(fromChatRequest({ messages: [{ content: 'hi' }], max_tokens: 7, response_format: { type: 'text' } })).toMatchObject({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 7, wantsJson: false, tags: undefined });
  });

  it('parseTags splits comma lists from headers', () => {
    expect(parseTags(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseTags(['a', 'b,c'])).toEqual(['a', 'b', 'c']);
    expect(parseTags(undefined)).toEqual([]);
  });
});
