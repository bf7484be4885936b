/**
 * A SIMULATED upstream inside the gateway, for demos and rehearsals: answers come from the
 * providers' seeded simulator (src/providers/sim.ts) with its latency and error settings, and
 * the reported model is prefixed "simulated". No network.
 */
import { SimSettingsSchema } from '../../config/schema.js';
import { SimProvider } from '../../providers/sim.js';
import type { ChatMessage } from '../../providers/types.js';
import { toAbortSignal, type CancelSignal } from '../cancel.js';
import type { UpstreamConfig } from '../config.js';
import { contentText } from './anthropic-translate.js';
import { chatCompletion, chunkFrame, type CompletionHead } from './openai-format.js';
import { DONE_FRAME } from './sse.js';
import type { ChatRequestBody, StreamPiece, Upstream, UpstreamCompletion } from './types.js';

export class SimUpstream implements Upstream {
  readonly type = 'sim' as const;
  readonly synthetic = true;
  private readonly provider: SimProvider;
  private readonly model: string;

  constructor(readonly name: string, cfg: UpstreamConfig, private readonly now: () => number = Date.now) {
    this.provider = new SimProvider({ ref: name, model: cfg.model, settings: cfg.sim ?? SimSettingsSchema.parse({}) });
    this.model = `simulated-${cfg.model}`;
  }

  private async answer(body: ChatRequestBody, signal: CancelSignal) {
    const messages: ChatMessage[] = body.messages.map((m) => ({ role: m.role === 'assistant' ? 'assistant' : m.role === 'system' ? 'system' : 'user', content: contentText(m.content) }));
    return this.provider.complete({ messages, signal: toAbortSignal(signal), ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}) });
  }

  private head(): CompletionHead {
    return { id: `chatcmpl-sim-${this.now()}`, created: Math.floor(this.now() / 1000), model: this.model };
  }

  async complete(body: ChatRequestBody, signal: CancelSignal): Promise<UpstreamCompletion> {
    const r = await this.answer(body, signal);
    const usage = { inputTokens: r.inputTokens, outputTokens: r.outputTokens };
    return { body: JSON.stringify(chatCompletion(this.head(), r.text, 'stop', usage)), text: r.text, usage };
  }

  async stream(body: ChatRequestBody, signal: CancelSignal): Promise<AsyncIterable<StreamPiece>> {
    const r = await this.answer(body, signal);
    const head = this.head();
    const words = r.text.match(/\S+\s*|\s+/g) ?? [r.text];
    const pieces: StreamPiece[] = [{ frame: chunkFrame(head, { role: 'assistant', content: '' }) }];
    for (const w of words) pieces.push({ frame: chunkFrame(head, { content: w }), text: w });
    pieces.push({ frame: chunkFrame(head, {}, 'stop'), finishReason: 'stop' });
    const usage = { inputTokens: r.inputTokens, outputTokens: r.outputTokens };
    pieces.push({ frame: chunkFrame(head, undefined, null, usage), usage, usageOnly: true });
    pieces.push({ frame: DONE_FRAME, done: true });
    return (async function* simPieces() {
      yield* pieces;
    })();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
