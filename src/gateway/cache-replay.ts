/**
 * Streamed and non-streamed requests share the temperature-0 response cache: a streamed answer
 * is stored as the chat.completion it amounts to, and a cached completion is replayed to a
 * streaming client as SSE chunks. Only plain-text answers cross over; a completion with tool or
 * function calls, or cut short for another reason than `stop` or `length`, is served only in
 * the form it was cached in.
 */
import type { CachedResponse } from './response-cache.js';
import { chunkFrame } from './upstream/openai-format.js';
import { DONE_FRAME } from './upstream/sse.js';

const REPLAYABLE_FINISH = new Set(['stop', 'length']);

/** Whether a stream's answer can be cached as text: it finished normally and carried nothing but text. */
export function cacheableStream(finishReason: string | undefined, nonText: boolean): finishReason is string {
  return !nonText && finishReason !== undefined && REPLAYABLE_FINISH.has(finishReason);
}

interface CachedCompletion {
  id?: string;
  model?: string;
  created?: number;
  choices?: Array<{ message?: { content?: unknown; tool_calls?: unknown; function_call?: unknown }; finish_reason?: string | null }>;
}

/**
 * The SSE frames that replay a cached completion to a streaming client (role and text in one
 * chunk, then the finish chunk, the usage chunk when asked for, and `[DONE]`); undefined when
 * the cached completion is more than text.
 */
export function replayFrames(hit: CachedResponse, includeUsage: boolean): string[] | undefined {
  let parsed: CachedCompletion;
  try {
    parsed = JSON.parse(hit.body) as CachedCompletion;
  } catch {
    return undefined;
  }
  const choice = parsed.choices?.[0];
  const finish = choice?.finish_reason ?? undefined;
  if (!choice?.message || choice.message.tool_calls != null || choice.message.function_call != null || typeof choice.message.content !== 'string') return undefined;
  if (finish === undefined || !REPLAYABLE_FINISH.has(finish)) return undefined;
  const head = { id: parsed.id ?? 'chatcmpl-cache', created: parsed.created ?? 0, model: parsed.model ?? 'unknown' };
  const frames = [chunkFrame(head, { role: 'assistant', content: choice.message.content }), chunkFrame(head, {}, finish)];
  if (includeUsage) frames.push(chunkFrame(head, undefined, null, { inputTokens: hit.inputTokens, outputTokens: hit.outputTokens }));
  frames.push(DONE_FRAME);
  return frames;
}
