import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, retryDelayMs, RetriesExhaustedError, withRetries } from '../../src/eval/retry.js';
import { ProviderError } from '../../src/providers/types.js';

const policy = { ...defaultRetryPolicy, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retryDelayMs', () => {
  it('honours Retry-After over backoff, capped', () => {
    const e = new ProviderError('rate_limit', '429', { retryAfterMs: 2500 });
    expect(retryDelayMs(1, e, policy, () => 0.99)).toBe(2500);
    const huge = new ProviderError('rate_limit', '429', { retryAfterMs: 10 * 60_000 });
    expect(retryDelayMs(1, huge, policy, () => 0.5)).toBe(policy.maxRetryAfterMs);
  });
  it('draws full jitter over a doubling window capped at maxDelayMs', () => {
    const e = new ProviderError('transient', '500');
    expect(retryDelayMs(1, e, policy, () => 0.5)).toBe(50); // window 100
    expect(retryDelayMs(3, e, policy, () => 0.5)).toBe(200); // window 400
    expect(retryDelayMs(10, e, policy, () => 0.999)).toBe(999); // window capped at 1000
    expect(retryDelayMs(2, e, policy, () => 0)).toBe(0);
  });
});

describe('withRetries', () => {
  const noWait = async () => {};
  it('retries retryable kinds and reports attempts', async () => {
    let n = 0;
    const waits: number[] = [];
    const r = await withRetries(async () => {
      n++;
      if (n < 3) throw new ProviderError(n === 1 ? 'rate_limit' : 'network', 'x', { retryAfterMs: 7 });
      return 'ok';
    }, { policy, wait: async (ms) => { waits.push(ms); }, random: () => 0.5 });
    expect(r).toEqual({ value: 'ok', attempts: 3 });
    expect(waits).toEqual([7, 7]);
  });
  it('never retries auth or bad_request', async () => {
    for (const kind of ['auth', 'bad_request', 'not_found'] as const) {
      let n = 0;
      const p = withRetries(async () => { n++; throw new ProviderError(kind, 'no'); }, { policy, wait: noWait });
      await expect(p).rejects.toBeInstanceOf(RetriesExhaustedError);
      expect(n).toBe(1);
    }
  });
  it('gives up after maxRetries with the last error and the attempt count', async () => {
    let n = 0;
    const err = await withRetries(async () => { n++; throw new ProviderError('transient', `fail ${n}`); }, { policy, wait: noWait }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as RetriesExhaustedError).attempts).toBe(4);
    expect((err as RetriesExhaustedError).last.message).toBe('fail 4');
  });
  it('lets non-provider errors (bugs) through untouched', async () => {
    await expect(withRetries(async () => { throw new TypeError('bug'); }, { policy, wait: noWait })).rejects.toBeInstanceOf(TypeError);
  });
});
