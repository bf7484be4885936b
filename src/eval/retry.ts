import { ProviderError } from '../providers/types.js';

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff step; doubles each retry ("exponential"), drawn with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Cap on a server's Retry-After, so a bad header cannot stall a run for hours. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/**
 * Delay before retry number `attempt` (1-based). A server's Retry-After wins (it knows its own
 * quota); otherwise full jitter over an exponential window (AWS architecture blog, "Exponential
 * Backoff And Jitter"), which spreads synchronized clients apart.
 */
export function retryDelayMs(attempt: number, err: ProviderError, policy: RetryPolicy, random: () => number): number {
  if (err.retryAfterMs !== undefined && err.retryAfterMs >= 0) return Math.min(err.retryAfterMs, policy.maxRetryAfterMs);
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * window);
}

export interface Attempted<T> {
  value: T;
  attempts: number;
}

export class RetriesExhaustedError extends Error {
  readonly last: ProviderError;
  readonly attempts: number;
  constructor(last: ProviderError, attempts: number) {
    super(last.message, { cause: last });
    this.name = 'RetriesExhaustedError';
    this.last = last;
    this.attempts = attempts;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new ProviderError('aborted', 'cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The one retry loop of the eval path: providers make single attempts and classify failures;
 * only retryable kinds are retried. Non-provider errors are bugs and propagate untouched.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  opts: { policy: RetryPolicy; random?: () => number; signal?: AbortSignal; onRetry?: (err: ProviderError, delayMs: number, n: number) => void; wait?: typeof sleep },
): Promise<Attempted<T>> {
  const random = opts.random ?? Math.random;
  const wait = opts.wait ?? sleep;
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (!err.retryable || n > opts.policy.maxRetries || opts.signal?.aborted) throw new RetriesExhaustedError(err, n);
      const delay = retryDelayMs(n, err, opts.policy, random);
      opts.onRetry?.(err, delay, n);
      await wait(delay, opts.signal);
    }
  }
}
