import type { RouteMessage, RouteRequest } from './types.js';

/** Text of an OpenAI message `content`: a string, or the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let s = '';
  for (const part of content) {
    if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') s += (s ? '\n' : '') + (part as { text: string }).text;
  }
  return s;
}

/** Tags from a header or metadata value: "legal-review, stakes:high" → ["legal-review", "stakes:high"]. */
export function parseTags(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : value ?? '';
  return joined.split(',').map((t) => t.trim()).filter(Boolean);
}

/**
 * What the classifier needs from an OpenAI chat completions request body. Operation tags come
 * from the gateway (header `x-llmops-tags`) and/or `metadata.tags` in the body; retrieved
 * context from `metadata.context` when the client sends it apart from the messages.
 */
export function fromChatRequest(body: unknown, extra: { tenant?: string | undefined; tags?: readonly string[] | undefined } = {}): RouteRequest {
  const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const messages: RouteMessage[] = Array.isArray(b.messages)
    ? b.messages.map((m) => {
        const mm = (m !== null && typeof m === 'object' ? m : {}) as Record<string, unknown>;
        return { role: typeof mm.role === 'string' ? mm.role : 'user', content: contentText(mm.content) };
      })
    : [];
  const metadata = (b.metadata !== null && typeof b.metadata === 'object' ? b.metadata : {}) as Record<string, unknown>;
  const maxTokens = typeof b.max_completion_tokens === 'number' ? b.max_completion_tokens : typeof b.max_tokens === 'number' ? b.max_tokens : undefined;
  const format = (b.response_format !== null && typeof b.response_format === 'object' ? b.response_format : {}) as { type?: unknown };
  const tags = [...(extra.tags ?? []), ...parseTags(typeof metadata.tags === 'string' ? metadata.tags : undefined)];
  return {
    messages,
    maxTokens,
    wantsJson: format.type === 'json_object' || format.type === 'json_schema',
    context: typeof metadata.context === 'string' ? metadata.context : undefined,
    tags: tags.length > 0 ? tags : undefined,
    tenant: extra.tenant,
  };
}
