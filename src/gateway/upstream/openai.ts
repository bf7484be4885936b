/**
 * An OpenAI-compatible upstream (OpenAI, vLLM, Ollama, LiteLLM…) over a pooled undici
 * connection. Bodies pass through with `model` replaced; streamed frames are forwarded as they
 * arrive and parsed only to learn the text and usage for metrics and the request log.
 */
import { Pool } from 'undici';
import type { CancelSignal } from '../cancel.js';
import type { UpstreamConfig } from '../config.js';
import { dispatchCall } from './dispatch-call.js';
import { parseUpstreamJson, readOkText, statusError, transportError } from './http-errors.js';
import { DONE_FRAME, SseParser } from './sse.js';
import type { ChatRequestBody, StreamPiece, Upstream, UpstreamCompletion, Usage } from './types.js';

interface OpenAIChunk {
  choices?: Array<{ delta?: { content?: string | null; tool_calls?: unknown; function_call?: unknown }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

const usageOf = (u: OpenAIChunk['usage']): Usage | undefined =>
  u ? { inputTokens: u.prompt_tokens ?? 0, outputTokens: u.completion_tokens ?? 0 } : undefined;

export class OpenAIUpstream implements Upstream {
  readonly type = 'openai' as const;
  readonly synthetic = false;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly headers: Record<string, string>;

  constructor(readonly name: string, private readonly cfg: UpstreamConfig, apiKey: string | undefined) {
    const url = new URL(cfg.baseURL!);
    this.pool = new Pool(url.origin, { connections: cfg.connections, pipelining: 1, keepAliveTimeout: 30_000 });
    this.path = `${url.pathname.replace(/\/$/, '')}/chat/completions`;
    this.headers = { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };
  }

  private async send(body: ChatRequestBody, signal: CancelSignal) {
    try {
      return await dispatchCall(this.pool, { path: this.path, method: 'POST', headers: this.headers, body: JSON.stringify(body) }, signal);
    } catch (err) {
      throw transportError(this.name, err, signal.aborted && signal.reason === 'timeout');
    }
  }

  async complete(client: ChatRequestBody, signal: CancelSignal): Promise<UpstreamCompletion> {
    // Object.assign, not `{ ...client, model }`, which gets a new hidden class per call on Node 20 (see requestCompleted in ../events.ts).
    const res = await this.send(Object.assign({}, client, { model: this.cfg.model, stream: false }), signal);
    const text = await readOkText(this.name, res, signal);
    const parsed = parseUpstreamJson<{ choices?: Array<{ message?: { content?: string | null } }>; usage?: OpenAIChunk['usage'] }>(this.name, text);
    const answer = parsed.choices?.[0]?.message?.content ?? '';
    return { body: text, text: answer, usage: usageOf(parsed.usage) ?? { inputTokens: 0, outputTokens: 0 } };
  }

  async stream(client: ChatRequestBody, signal: CancelSignal): Promise<AsyncIterable<StreamPiece>> {
    // Always ask for usage upstream (metrics and cost need it); the handler hides the usage
    // chunk from clients that did not ask for it.
    const res = await this.send(Object.assign({}, client, { model: this.cfg.model, stream: true, stream_options: { include_usage: true } }), signal);
    if (res.statusCode >= 300) {
      const text = await res.body.text().catch(() => '');
      throw statusError(this.name, res.statusCode, res.headers, text);
    }
    const name = this.name;
    return (async function* pieces(): AsyncGenerator<StreamPiece> {
      const parser = new SseParser();
      try {
        for await (const chunk of res.body) {
          for (const ev of parser.feed(chunk)) {
            if (ev.data === '[DONE]') {
              yield { frame: DONE_FRAME, done: true };
              return;
            }
            let parsed: OpenAIChunk;
            try {
              parsed = JSON.parse(ev.data) as OpenAIChunk;
            } catch {
              continue;
            }
            const usage = usageOf(parsed.usage);
            const choice = parsed.choices?.[0];
            const text = choice?.delta?.content ?? undefined;
            const usageOnly = usage !== undefined && (parsed.choices?.length ?? 0) === 0;
            const nonText = choice?.delta?.tool_calls != null || choice?.delta?.function_call != null;
            yield {
              frame: `data: ${ev.data}\n\n`, ...(text ? { text } : {}), ...(usage ? { usage } : {}), ...(usageOnly ? { usageOnly } : {}),
              ...(choice?.finish_reason ? { finishReason: choice.finish_reason } : {}), ...(nonText ? { nonText } : {}),
            };
          }
        }
      } catch (err) {
        throw transportError(name, err, signal.aborted && signal.reason === 'timeout');
      }
      throw transportError(name, new Error('stream ended before [DONE]'), false);
    })();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
