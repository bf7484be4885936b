/**
 * Pure translation between OpenAI chat completions (what gateway clients speak) and the
 * Anthropic Messages API: request, complete response, and stream events, both ways of the wire.
 */
import { chatCompletion, chunkFrame } from './openai-format.js';
import { DONE_FRAME } from './sse.js';
import type { ChatRequestBody, StreamPiece, Usage } from './types.js';

export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
  system?: string;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  stream?: boolean;
  metadata?: { user_id: string };
}

/** OpenAI content (string or parts) as plain text. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('');
  return '';
}

export function toAnthropicRequest(body: ChatRequestBody, model: string, defaultMaxTokens: number): AnthropicRequest {
  const system: string[] = [];
  const messages: AnthropicRequest['messages'] = [];
  for (const m of body.messages) {
    const text = contentText(m.content);
    if (m.role === 'system' || m.role === 'developer') system.push(text);
    else {
      const role = m.role === 'assistant' ? 'assistant' : 'user';
      const last = messages[messages.length - 1];
      // Anthropic wants alternating turns: merge consecutive same-role messages.
      if (last && last.role === role) last.content += `\n\n${text}`;
      else messages.push({ role, content: text });
    }
  }
  const stop = body.stop;
  const out: AnthropicRequest = { model, max_tokens: body.max_completion_tokens ?? body.max_tokens ?? defaultMaxTokens, messages };
  if (system.length > 0) out.system = system.join('\n\n');
  if (typeof body.temperature === 'number') out.temperature = Math.min(1, body.temperature); // Anthropic's range is 0..1
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  if (typeof stop === 'string') out.stop_sequences = [stop];
  else if (Array.isArray(stop)) out.stop_sequences = stop.filter((s): s is string => typeof s === 'string');
  if (body.stream) out.stream = true;
  if (typeof body.user === 'string') out.metadata = { user_id: body.user };
  return out;
}

export function finishReason(stop: string | null | undefined): string {
  if (stop === 'max_tokens') return 'length';
  if (stop === 'tool_use') return 'tool_calls';
  return 'stop';
}

interface AnthropicMessage {
  id?: string;
  model?: string;
  content?: Array<{ type: string; text?: string }>;
  stop_reason?: string | null;
  usage?: { input_tokens?: number; output_tokens?: number };
}

export function fromAnthropicResponse(msg: AnthropicMessage, created: number): { body: Record<string, unknown>; text: string; usage: Usage } {
  const text = (msg.content ?? []).filter((c) => c.type === 'text').map((c) => c.text ?? '').join('');
  const usage = { inputTokens: msg.usage?.input_tokens ?? 0, outputTokens: msg.usage?.output_tokens ?? 0 };
  return {
    text,
    usage,
    body: chatCompletion({ id: `chatcmpl-${msg.id ?? 'anthropic'}`, created, model: msg.model ?? 'unknown' }, text, finishReason(msg.stop_reason), usage),
  };
}

/** Turns Anthropic stream events into OpenAI chunk frames, one event at a time. */
export class AnthropicStreamTranslator {
  private id = 'chatcmpl-anthropic';
  private model = 'unknown';
  private inputTokens = 0;
  private outputTokens = 0;
  constructor(private readonly created: number) {}

  private chunk(delta: Record<string, unknown> | undefined, finish: string | null = null, usage?: Usage): string {
    return chunkFrame({ id: this.id, created: this.created, model: this.model }, delta, finish, usage);
  }

  /** Pieces for one event; throws on an `error` event (the stream failed upstream). */
  translate(type: string, data: Record<string, unknown>): StreamPiece[] {
    switch (type) {
      case 'message_start': {
        const m = (data.message ?? {}) as AnthropicMessage;
        if (m.id) this.id = `chatcmpl-${m.id}`;
        if (m.model) this.model = m.model;
        this.inputTokens = m.usage?.input_tokens ?? 0;
        this.outputTokens = m.usage?.output_tokens ?? 0;
        return [{ frame: this.chunk({ role: 'assistant', content: '' }, null) }];
      }
      case 'content_block_delta': {
        const d = (data.delta ?? {}) as { type?: string; text?: string };
        // Tool input (input_json_delta) is not forwarded as text: mark the answer as more than text.
        if (d.type === 'input_json_delta') return [{ nonText: true }];
        if (d.type !== 'text_delta' || !d.text) return [];
        return [{ frame: this.chunk({ content: d.text }, null), text: d.text }];
      }
      case 'message_delta': {
        const d = (data.delta ?? {}) as { stop_reason?: string | null };
        const u = (data.usage ?? {}) as { output_tokens?: number; input_tokens?: number };
        if (typeof u.output_tokens === 'number') this.outputTokens = u.output_tokens;
        if (typeof u.input_tokens === 'number') this.inputTokens = u.input_tokens;
        const finish = finishReason(d.stop_reason);
        return [{ frame: this.chunk({}, finish), finishReason: finish }];
      }
      case 'message_stop': {
        const usage = { inputTokens: this.inputTokens, outputTokens: this.outputTokens };
        return [{ frame: this.chunk(undefined, null, usage), usage, usageOnly: true }, { frame: DONE_FRAME, done: true }];
      }
      case 'error': {
        const e = (data.error ?? {}) as { type?: string; message?: string };
        throw Object.assign(new Error(`anthropic stream error: ${e.type ?? 'error'} ${e.message ?? ''}`.trim()), { anthropicType: e.type });
      }
      default:
        return []; // ping, content_block_start/stop
    }
  }
}
