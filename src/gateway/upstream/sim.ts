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
import { DONE_FRAME, sseFrame } from './sse.js';
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

  async complete(body: ChatRequestBody, signal: CancelSignal): Promise<UpstreamCompletion> {
    const r = await this.answer(body, signal);
    const usage = { inputTokens: r.inputTokens, outputTokens: r.outputTokens };
    const json = {
      id: `chatcmpl-sim-${this.now()}`, object: 'chat.completion', created: Math.floor(this.now() / 1000), model: this.model,
      choices: [{ index: 0, message: { role: 'assistant', content: r.text, refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
    };
    return { body: JSON.stringify(json), text: r.text, usage };
  }

  async stream(body: ChatRequestBody, signal: CancelSignal): Promise<AsyncIterable<StreamPiece>> {
    const r = await this.answer(body, signal);
    const id = `chatcmpl-sim-${this.now()}`;
    const created = Math.floor(this.now() / 1000);
    const chunk = (choices: unknown[], usage?: Record<string, number>) => sseFrame({ id, object: 'chat.completion.chunk', created, model: this.model, choices, ...(usage ? { usage } : {}) });
    const words = r.text.match(/\S+\s*|\s+/g) ?? [r.text];
    const pieces: StreamPiece[] = [{ frame: chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }]) }];
    for (const w of words) pieces.push({ frame: chunk([{ index: 0, delta: { content: w }, finish_reason: null, logprobs: null }]), text: w });
    pieces.push({ frame: chunk([{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }]), finishReason: 'stop' });
    const usage = { inputTokens: r.inputTokens, outputTokens: r.outputTokens };
    pieces.push({ frame: chunk([], { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens }), usage, usageOnly: true });
    pieces.push({ frame: DONE_FRAME, done: true });
    return (async function* simPieces() {
      yield* pieces;
    })();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
