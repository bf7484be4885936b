/**
 * An Anthropic Messages upstream over a pooled undici connection; requests, responses and
 * streams are translated to and from OpenAI chat completions (anthropic-translate.ts).
 */
import { Pool } from 'undici';
import { ProviderError } from '../../providers/types.js';
import type { CancelSignal } from '../cancel.js';
import type { UpstreamConfig } from '../config.js';
import { AnthropicStreamTranslator, fromAnthropicResponse, toAnthropicRequest } from './anthropic-translate.js';
import { dispatchCall } from './dispatch-call.js';
import { parseUpstreamJson, readOkText, statusError, transportError } from './http-errors.js';
import { SseParser } from './sse.js';
import type { ChatRequestBody, StreamPiece, Upstream, UpstreamCompletion } from './types.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export class AnthropicUpstream implements Upstream {
  readonly type = 'anthropic' as const;
  readonly synthetic = false;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly headers: Record<string, string>;

  constructor(readonly name: string, private readonly cfg: UpstreamConfig, apiKey: string | undefined, private readonly now: () => number = Date.now) {
    const url = new URL(cfg.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL);
    this.pool = new Pool(url.origin, { connections: cfg.connections, keepAliveTimeout: 30_000 });
    this.path = `${url.pathname.replace(/\/$/, '')}/v1/messages`;
    this.headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...(apiKey ? { 'x-api-key': apiKey } : {}) };
  }

  private async send(body: ChatRequestBody, stream: boolean, signal: CancelSignal) {
    const payload = toAnthropicRequest(Object.assign({}, body, { stream }), this.cfg.model, this.cfg.maxTokens);
    try {
      return await dispatchCall(this.pool, { path: this.path, method: 'POST', headers: this.headers, body: JSON.stringify(payload) }, signal);
    } catch (err) {
      throw transportError(this.name, err, signal.aborted && signal.reason === 'timeout');
    }
  }

  async complete(body: ChatRequestBody, signal: CancelSignal): Promise<UpstreamCompletion> {
    const res = await this.send(body, false, signal);
    const text = await readOkText(this.name, res, signal);
    const out = fromAnthropicResponse(parseUpstreamJson<Parameters<typeof fromAnthropicResponse>[0]>(this.name, text), Math.floor(this.now() / 1000));
    return { body: JSON.stringify(out.body), text: out.text, usage: out.usage };
  }

  async stream(body: ChatRequestBody, signal: CancelSignal): Promise<AsyncIterable<StreamPiece>> {
    const res = await this.send(body, true, signal);
    if (res.statusCode >= 300) {
      const text = await res.body.text().catch(() => '');
      throw statusError(this.name, res.statusCode, res.headers, text);
    }
    const name = this.name;
    const translator = new AnthropicStreamTranslator(Math.floor(this.now() / 1000));
    return (async function* pieces(): AsyncGenerator<StreamPiece> {
      const parser = new SseParser();
      try {
        for await (const chunk of res.body) {
          for (const ev of parser.feed(chunk)) {
            let data: Record<string, unknown>;
            try {
              data = JSON.parse(ev.data) as Record<string, unknown>;
            } catch {
              continue;
            }
            let out: StreamPiece[];
            try {
              out = translator.translate(ev.event ?? String(data.type ?? ''), data);
            } catch (err) {
              const overloaded = (err as { anthropicType?: string }).anthropicType === 'overloaded_error';
              throw new ProviderError(overloaded ? 'transient' : 'network', `${name}: ${(err as Error).message}`);
            }
            for (const p of out) {
              yield p;
              if (p.done) return;
            }
          }
        }
      } catch (err) {
        throw transportError(name, err, signal.aborted && signal.reason === 'timeout');
      }
      throw transportError(name, new Error('stream ended before message_stop'), false);
    })();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
