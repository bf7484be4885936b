import pLimit, { type LimitFunction } from 'p-limit';
import { ProviderError, type ChatMessage, type CompletionResult, type Provider } from '../providers/types.js';
import type { PriceInfo } from '../eval/scorers/types.js';
import { MemoryJudgeCache, type JudgeCache } from './cache.js';
import { jsonHash } from './hash.js';
import { JudgeError, NO_USAGE, type Judge, type JudgeAnswer, type JudgeTask, type JudgeUsage } from './judge.js';
import { parseJudgeReply } from './structured.js';

export interface LlmJudgeOptions {
  provider: Provider;
  price?: PriceInfo | undefined;
  cache?: JudgeCache | undefined;
  /** Max in-flight judge calls per upstream (connection key). Default 4. */
  concurrency?: number | undefined;
  /** Retries of retryable provider failures (429, 5xx, timeout, network). Default 2. */
  maxRetries?: number | undefined;
  maxTokens?: number | undefined;
  /** Injected so tests do not wait; defaults to a real timer. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

// Judge calls to one upstream share one limiter, however many scorers use that judge.
const limiters = new Map<string, LimitFunction>();
function limiterFor(key: string, concurrency: number): LimitFunction {
  let limit = limiters.get(key);
  if (!limit) {
    limit = pLimit(concurrency);
    limiters.set(key, limit);
  }
  return limit;
}

/** The cache key of a judge task: judge model + task kind + the exact messages (rubric included). */
export function judgeCacheKey(model: string, task: Pick<JudgeTask<unknown>, 'kind' | 'messages'>): string {
  return jsonHash({ judge: model, kind: task.kind, messages: task.messages });
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function correction(problem: string): string {
  return `Your previous reply could not be used: ${problem}. Reply again with only the JSON object described above, nothing else.`;
}

/**
 * A judge backed by any provider (openai, anthropic, replay…). Temperature 0, JSON mode, replies
 * validated with zod. A malformed reply gets exactly one corrective retry, then the task fails
 * with JudgeError('malformed') — the scorer records an `error`, never a pass.
 */
export class LlmJudge implements Judge {
  readonly model: string;
  readonly synthetic: boolean;
  private readonly cache: JudgeCache;
  private readonly limit: LimitFunction;
  private readonly maxRetries: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: LlmJudgeOptions) {
    this.model = opts.provider.ref;
    this.synthetic = opts.provider.synthetic;
    this.cache = opts.cache ?? new MemoryJudgeCache();
    this.limit = limiterFor(`judge:${opts.provider.connectionKey}`, opts.concurrency ?? 4);
    this.maxRetries = opts.maxRetries ?? 2;
    this.sleep = opts.sleep ?? realSleep;
  }

  async ask<T>(task: JudgeTask<T>): Promise<JudgeAnswer<T>> {
    const key = judgeCacheKey(this.model, task);
    const hit = this.cache.get(key);
    if (hit) {
      const parsed = parseJudgeReply(hit.text, task.schema);
      // No request reached the judge: nothing was spent, whatever the original call cost.
      if (parsed.ok) return { value: parsed.value, usage: { ...NO_USAGE, cached: true } };
    }
    const first = await this.call(task.messages);
    let usage = this.usageOf([first]);
    const parsedFirst = parseJudgeReply(first.text, task.schema);
    if (parsedFirst.ok) {
      this.cache.set(key, this.model, { text: first.text, inputTokens: first.inputTokens, outputTokens: first.outputTokens });
      return { value: parsedFirst.value, usage };
    }
    const retryMessages: ChatMessage[] = [
      ...task.messages,
      { role: 'assistant', content: first.text.trim() || '(empty reply)' },
      { role: 'user', content: correction(parsedFirst.problem) },
    ];
    const second = await this.call(retryMessages);
    usage = this.usageOf([first, second]);
    const parsedSecond = parseJudgeReply(second.text, task.schema);
    if (parsedSecond.ok) {
      this.cache.set(key, this.model, { text: second.text, inputTokens: second.inputTokens, outputTokens: second.outputTokens });
      return { value: parsedSecond.value, usage };
    }
    throw new JudgeError('malformed', `judge ${this.model} gave no valid ${task.kind} reply after one retry: ${parsedSecond.problem}`);
  }

  private usageOf(results: CompletionResult[]): JudgeUsage {
    const inputTokens = results.reduce((s, r) => s + r.inputTokens, 0);
    const outputTokens = results.reduce((s, r) => s + r.outputTokens, 0);
    const price = this.opts.price;
    const costUsd = price ? (inputTokens * price.input + outputTokens * price.output) / 1e6 : null;
    return { calls: results.length, inputTokens, outputTokens, costUsd, cached: false };
  }

  /** One judge call with the retry policy for retryable provider failures (exponential backoff, Retry-After honoured). */
  private async call(messages: ChatMessage[]): Promise<CompletionResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limit(() =>
          this.opts.provider.complete({ messages, temperature: 0, json: true, ...(this.opts.maxTokens ? { maxTokens: this.opts.maxTokens } : {}) }),
        );
      } catch (err) {
        if (err instanceof ProviderError && err.retryable && attempt < this.maxRetries) {
          await this.sleep(err.retryAfterMs ?? 250 * 2 ** attempt);
          continue;
        }
        const why = err instanceof ProviderError ? `${err.kind}: ${err.message}` : (err as Error).message;
        throw new JudgeError('provider', `judge ${this.model} call failed: ${why}`, { cause: err });
      }
    }
  }
}
