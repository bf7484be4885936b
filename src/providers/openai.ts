import OpenAI from 'openai';
import { requestFetch } from './request-fetch.js';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { classifyError, streamEndedEarly } from './classify.js';
import type { CompletionRequest, CompletionResult, Provider } from './types.js';

export interface OpenAIProviderOptions {
  /** Model ref this provider serves (for labels and the result). */
  ref: string;
  /** Upstream model id, e.g. gpt-4o-mini or llama3.1:8b. */
  model: string;
  apiKey: string;
  /** Any OpenAI-compatible base URL (vLLM, Ollama, LiteLLM, our gateway); default api.openai.com. */
  baseURL?: string | undefined;
  timeoutMs: number;
  /** Stream (default) to measure time to first token; false for servers that cannot stream. */
  stream?: boolean | undefined;
}

const approxTokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

/**
 * OpenAI Chat Completions through the official SDK. The client never retries (`maxRetries: 0`):
 * failures are classified and the caller's single retry policy decides.
 */
export class OpenAIProvider implements Provider {
  readonly ref: string;
  readonly connectionKey: string;
  readonly synthetic = false;
  private readonly client: OpenAI;
  private readonly label: string;

  constructor(private readonly opts: OpenAIProviderOptions) {
    this.ref = opts.ref;
    this.connectionKey = `openai:${opts.baseURL ?? 'https://api.openai.com/v1'}`;
    this.label = `openai ${opts.model}`;
    // Everything explicit: no OPENAI_BASE_URL from the environment, and no OPENAI_ORG_ID /
    // OPENAI_PROJECT_ID headers sent to a third-party compatible server.
    this.client = new OpenAI({
      apiKey: opts.apiKey, baseURL: opts.baseURL ?? null, maxRetries: 0, timeout: opts.timeoutMs, fetch: requestFetch(),
      ...(opts.baseURL === undefined ? {} : { organization: null, project: null }),
    });
  }

  private params(req: CompletionRequest): ChatCompletionCreateParamsBase {
    return {
      model: this.opts.model,
      messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
      ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
      // api.openai.com wants max_completion_tokens (reasoning models reject max_tokens); compatible
      // servers (vLLM, Ollama, older LiteLLM) understand max_tokens.
      ...(req.maxTokens === undefined ? {} : this.opts.baseURL === undefined ? { max_completion_tokens: req.maxTokens } : { max_tokens: req.maxTokens }),
      ...(req.json ? { response_format: { type: 'json_object' as const } } : {}),
    };
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    return this.opts.stream === false ? this.completeJson(req) : this.completeStreamed(req);
  }

  private async completeJson(req: CompletionRequest): Promise<CompletionResult> {
    const started = performance.now();
    try {
      const res = await this.client.chat.completions.create(Object.assign(this.params(req), { stream: false as const }), { signal: req.signal });
      const choice = res.choices[0];
      const text = choice?.message.content ?? '';
      if (text) req.onDelta?.(text);
      return {
        text,
        inputTokens: res.usage?.prompt_tokens ?? approxTokens(inputChars(req)),
        outputTokens: res.usage?.completion_tokens ?? approxTokens(text.length),
        latencyMs: performance.now() - started,
        ttftMs: null,
        finishReason: choice?.finish_reason ?? undefined,
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
    let finishReason: string | undefined;
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    let model: string | undefined;
    let midStream = false;
    try {
      const stream = await this.client.chat.completions.create(
        Object.assign(this.params(req), { stream: true as const, stream_options: { include_usage: true } }),
        { signal: req.signal },
      );
      midStream = true;
      for await (const chunk of stream) {
        model ??= chunk.model;
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        const piece = choice.delta.content;
        if (piece) {
          ttftMs ??= performance.now() - started;
          text += piece;
          req.onDelta?.(piece);
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (err) {
      throw classifyError(err, { label: this.label, signal: req.signal, midStream });
    }
    if (finishReason === undefined) throw streamEndedEarly(this.label, text.length);
    return {
      text,
      // Some compatible servers ignore stream_options and send no usage chunk: only then we
      // fall back to an approximate count (≈ 4 characters per token).
      inputTokens: usage?.prompt_tokens ?? approxTokens(inputChars(req)),
      outputTokens: usage?.completion_tokens ?? approxTokens(text.length),
      latencyMs: performance.now() - started,
      ttftMs,
      finishReason,
      model,
    };
  }
}

function inputChars(req: CompletionRequest): number {
  return req.messages.reduce((n, m) => n + m.content.length, 0);
}
