import Anthropic from '@anthropic-ai/sdk';
import { pooledFetch } from './pooled-fetch.js';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages/messages';
import { classifyError, streamEndedEarly } from './classify.js';
import type { CompletionRequest, CompletionResult, Provider } from './types.js';

export interface AnthropicProviderOptions {
  ref: string;
  /** Upstream model id, e.g. claude-3-5-haiku-latest. */
  model: string;
  apiKey: string;
  baseURL?: string | undefined;
  timeoutMs: number;
  stream?: boolean | undefined;
}

/** The Messages API requires max_tokens; used when neither the request nor the model sets one. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 1024;

type MessageParams = Omit<MessageCreateParamsBase, 'stream'>;

/**
 * Anthropic Messages through the official SDK (`maxRetries: 0`: the caller owns retries). System
 * messages become the `system` field; usage comes from message_start (input) and message_delta
 * (output); the first text_delta marks time to first token.
 */
export class AnthropicProvider implements Provider {
  readonly ref: string;
  readonly connectionKey: string;
  readonly synthetic = false;
  private readonly client: Anthropic;
  private readonly label: string;

  constructor(private readonly opts: AnthropicProviderOptions) {
    this.ref = opts.ref;
    this.connectionKey = `anthropic:${opts.baseURL ?? 'https://api.anthropic.com'}`;
    this.label = `anthropic ${opts.model}`;
    // authToken null: an ANTHROPIC_AUTH_TOKEN in the environment must not add a second credential.
    this.client = new Anthropic({ apiKey: opts.apiKey, authToken: null, baseURL: opts.baseURL ?? null, maxRetries: 0, timeout: opts.timeoutMs, fetch: pooledFetch() });
  }

  private params(req: CompletionRequest): MessageParams {
    const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
    const messages = req.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
    return {
      model: this.opts.model,
      max_tokens: req.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
      messages,
      ...(system ? { system } : {}),
      ...(req.temperature === undefined ? {} : { temperature: Math.min(1, req.temperature) }), // Anthropic's range is 0..1
    };
  }

  complete(req: CompletionRequest): Promise<CompletionResult> {
    return this.opts.stream === false ? this.completeJson(req) : this.completeStreamed(req);
  }

  private async completeJson(req: CompletionRequest): Promise<CompletionResult> {
    const started = performance.now();
    try {
      const res = await this.client.messages.create(Object.assign(this.params(req), { stream: false as const }), { signal: req.signal });
      const text = res.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      if (text) req.onDelta?.(text);
      return {
        text,
        inputTokens: res.usage.input_tokens,
        outputTokens: res.usage.output_tokens,
        latencyMs: performance.now() - started,
        ttftMs: null,
        finishReason: res.stop_reason ?? undefined,
        model: res.model,
      };
    } catch (err) {
      throw classifyError(err, { label: this.label, signal: req.signal });
    }
  }

  private async completeStreamed(req: CompletionRequest): Promise<CompletionResult> {
    const started = performance.now();
    let ttftMs: number | null = null;
    let text = '';
    let inputTokens = 0;
    let outputTokens = 0;
    let finishReason: string | undefined;
    let model: string | undefined;
    let stopped = false;
    let midStream = false;
    try {
      const stream = await this.client.messages.create(Object.assign(this.params(req), { stream: true as const }), { signal: req.signal });
      midStream = true;
      for await (const ev of stream) {
        switch (ev.type) {
          case 'message_start':
            model = ev.message.model;
            inputTokens = ev.message.usage.input_tokens;
            outputTokens = ev.message.usage.output_tokens;
            break;
          case 'content_block_delta':
            if (ev.delta.type === 'text_delta') {
              ttftMs ??= performance.now() - started;
              text += ev.delta.text;
              req.onDelta?.(ev.delta.text);
            }
            break;
          case 'message_delta':
            // message_delta usage is cumulative for output tokens.
            outputTokens = ev.usage.output_tokens;
            if (ev.delta.stop_reason) finishReason = ev.delta.stop_reason;
            break;
          case 'message_stop':
            stopped = true;
            break;
          default:
            break;
        }
      }
    } catch (err) {
      throw classifyError(err, { label: this.label, signal: req.signal, midStream });
    }
    if (!stopped) throw streamEndedEarly(this.label, text.length);
    return { text, inputTokens, outputTokens, latencyMs: performance.now() - started, ttftMs, finishReason, model };
  }
}
