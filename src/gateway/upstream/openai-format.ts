/**
 * The OpenAI chat-completions bodies the gateway writes itself rather than forwards: the
 * simulator's answers, translated Anthropic answers and cache replays.
 */
import { sseFrame } from './sse.js';
import type { Usage } from './types.js';

/** What every completion and chunk of one answer carries. */
export interface CompletionHead {
  id: string;
  created: number;
  model: string;
}

const usageJson = (u: Usage) => ({ prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens });

/** A `chat.completion` with one plain-text choice. */
export function chatCompletion(head: CompletionHead, text: string, finishReason: string, usage: Usage): Record<string, unknown> {
  return {
    id: head.id, object: 'chat.completion', created: head.created, model: head.model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: finishReason, logprobs: null }],
    usage: usageJson(usage),
  };
}

/** One `chat.completion.chunk` as an SSE frame: a delta with its finish_reason, or the usage-only chunk (no delta). */
export function chunkFrame(head: CompletionHead, delta: Record<string, unknown> | undefined, finishReason: string | null = null, usage?: Usage): string {
  const choices = delta === undefined ? [] : [{ index: 0, delta, finish_reason: finishReason, logprobs: null }];
  return sseFrame({ id: head.id, object: 'chat.completion.chunk', created: head.created, model: head.model, choices, ...(usage ? { usage: usageJson(usage) } : {}) });
}
