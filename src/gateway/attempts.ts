/**
 * The gateway's one retry policy: for each upstream in the plan (the variant's own, then the
 * fallback chain) try up to `maxAttempts` times while the failure is retryable (429, 5xx,
 * timeout, connection errors), with full-jitter exponential backoff honouring Retry-After;
 * skip upstreams whose breaker is open. The caller's `call` must resolve only once nothing has
 * reached the client yet is at stake (for streams: after the first piece), so a retry can never
 * duplicate output the client already saw.
 */
import { ProviderError } from '../providers/types.js';
import type { CircuitBreaker } from './breaker.js';
import { Cancel, type CancelSignal } from './cancel.js';
import type { Upstream } from './upstream/types.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface AttemptDeps {
  upstream(name: string): Upstream;
  breaker(name: string): CircuitBreaker;
  timeoutMs(name: string): number;
  now(): number;
  random(): number;
  sleep(ms: number, signal: CancelSignal): Promise<void>;
  onRetry?(upstream: string, err: ProviderError): void;
  onFailure?(upstream: string, err: ProviderError): void;
}

export interface AttemptSuccess<T> {
  value: T;
  upstream: string;
  attempts: number;
  /**
   * Stop the attempt's deadline, keeping the client's abort linked to the call: a stream that has
   * started answering is bound by the upstream's idle limit between chunks from then on, not by
   * `timeoutMs`, or every answer longer than it would be cut mid-way.
   */
  stopDeadline(): void;
  /** Stop the deadline and unlink the client's abort once the answer is fully delivered. */
  done(): void;
}

/** All upstreams of the plan had an open breaker. */
export class NoUpstreamAvailableError extends ProviderError {
  constructor(upstreams: readonly string[]) {
    super('transient', `no upstream available: circuit open for ${upstreams.join(', ')}`, { status: 503 });
  }
}

export function backoffMs(attempt: number, policy: RetryPolicy, random: number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random * exp);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, policy.maxDelayMs * 5));
}

const asProviderError = (err: unknown): ProviderError =>
  err instanceof ProviderError ? err : new ProviderError('network', (err as Error)?.message ?? String(err), { cause: err });

export async function runAttempts<T>(
  plan: readonly string[],
  policy: RetryPolicy,
  deps: AttemptDeps,
  clientSignal: CancelSignal,
  call: (u: Upstream, signal: CancelSignal) => Promise<T>,
): Promise<AttemptSuccess<T>> {
  let lastError: ProviderError | undefined;
  let attempts = 0;
  const skipped: string[] = [];
  for (const name of plan) {
    const breaker = deps.breaker(name);
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      if (clientSignal.aborted) throw new ProviderError('aborted', 'client went away');
      if (!breaker.tryAcquire(deps.now())) {
        skipped.push(name);
        break;
      }
      attempts++;
      const ctrl = new Cancel();
      const timer = setTimeout(() => ctrl.abort('timeout'), deps.timeoutMs(name));
      const onClientAbort = () => ctrl.abort('client');
      clientSignal.addEventListener('abort', onClientAbort, { once: true });
      const cleanup = () => {
        clearTimeout(timer);
        clientSignal.removeEventListener('abort', onClientAbort);
      };
      try {
        const value = await call(deps.upstream(name), ctrl);
        breaker.onSuccess(deps.now());
        return { value, upstream: name, attempts, stopDeadline: () => clearTimeout(timer), done: cleanup };
      } catch (err) {
        cleanup();
        const e = asProviderError(err);
        if (e.kind === 'aborted' || clientSignal.aborted) {
          breaker.release(deps.now());
          throw e;
        }
        lastError = e;
        // A bad request is the client's: the same body fails everywhere, so neither retry nor fall back.
        if (e.kind === 'bad_request' || e.kind === 'not_found') {
          breaker.onSuccess(deps.now());
          throw e;
        }
        breaker.onFailure(deps.now());
        deps.onFailure?.(name, e);
        if (!e.retryable || attempt === policy.maxAttempts) break;
        deps.onRetry?.(name, e);
        await deps.sleep(backoffMs(attempt, policy, deps.random(), e.retryAfterMs), clientSignal);
      }
    }
  }
  throw lastError ?? new NoUpstreamAvailableError(skipped);
}

/** A sleep that ends early (resolving) when the client goes away; the loop then notices. */
export function abortableSleep(ms: number, signal: CancelSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
