import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/gateway/breaker.js';
import { RateLimiter, TokenBucket } from '../../src/gateway/rate-limit.js';
import { ResponseCache } from '../../src/gateway/response-cache.js';
import { VariantWindow } from '../../src/gateway/stats-window.js';
import { backoffMs } from '../../src/gateway/attempts.js';

describe('CircuitBreaker', () => {
  const settings = { failureThreshold: 3, openMs: 1000, halfOpenProbes: 1 };

  it('opens after the threshold of consecutive failures, not before', () => {
    const b = new CircuitBreaker(settings);
    b.onFailure(0);
    b.onFailure(1);
    expect(b.state(2)).toBe('closed');
    b.onSuccess(3); // a success resets the count
    b.onFailure(4);
    b.onFailure(5);
    expect(b.state(6)).toBe('closed');
    b.onFailure(7);
    expect(b.state(8)).toBe('open');
    expect(b.tryAcquire(8)).toBe(false);
  });

  it('goes half-open after openMs, lets one probe through, and closes on its success', () => {
    const b = new CircuitBreaker(settings);
    for (let i = 0; i < 3; i++) b.onFailure(100);
    expect(b.state(1099)).toBe('open');
    expect(b.state(1100)).toBe('half_open');
    expect(b.tryAcquire(1100)).toBe(true);
    expect(b.tryAcquire(1100)).toBe(false); // only one probe in flight
    b.onSuccess(1150);
    expect(b.state(1150)).toBe('closed');
    expect(b.tryAcquire(1151)).toBe(true);
  });

  it('re-opens for another openMs when the probe fails', () => {
    const b = new CircuitBreaker(settings);
    for (let i = 0; i < 3; i++) b.onFailure(0);
    expect(b.tryAcquire(1000)).toBe(true);
    b.onFailure(1200);
    expect(b.state(2199)).toBe('open');
    expect(b.state(2200)).toBe('half_open');
  });

  it('frees the probe slot when a probe ends without a verdict', () => {
    const b = new CircuitBreaker(settings);
    for (let i = 0; i < 3; i++) b.onFailure(0);
    expect(b.tryAcquire(1000)).toBe(true);
    b.release(1001);
    expect(b.tryAcquire(1002)).toBe(true);
  });
});

describe('TokenBucket / RateLimiter', () => {
  it('allows rpm requests at once, then one per 60/rpm seconds, with the exact wait', () => {
    const b = new TokenBucket(60, 0); // one token per second
    for (let i = 0; i < 60; i++) expect(b.take(0).ok).toBe(true);
    expect(b.take(0)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(b.take(400)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(b.take(1000).ok).toBe(true);
    expect(b.take(1000).ok).toBe(false);
  });

  it('never refills beyond capacity', () => {
    const b = new TokenBucket(2, 0);
    expect(b.take(10_000_000).ok).toBe(true);
    expect(b.take(10_000_000).ok).toBe(true);
    expect(b.take(10_000_000).ok).toBe(false);
  });

  it('limits per tenant and leaves unlimited tenants alone', () => {
    const l = new RateLimiter((t) => (t === 'small' ? 1 : undefined));
    expect(l.take('small', 0).ok).toBe(true);
    expect(l.take('small', 0).ok).toBe(false);
    for (let i = 0; i < 1000; i++) expect(l.take('big', 0).ok).toBe(true);
  });
});

describe('ResponseCache', () => {
  const entry = { variant: 'v', body: '{}', inputTokens: 1, outputTokens: 1, text: 't' };
  it('expires entries after the TTL and evicts the oldest beyond the cap', () => {
    const c = new ResponseCache(2);
    c.set('a', entry, 100, 0);
    expect(c.get('a', 99)).toBe(entry);
    expect(c.get('a', 100)).toBeUndefined();
    c.set('a', entry, 100, 0);
    c.set('b', entry, 100, 0);
    c.set('c', entry, 100, 0);
    expect(c.size).toBe(2);
    expect(c.get('a', 1)).toBeUndefined();
    expect(c.get('c', 1)).toBe(entry);
  });
});

describe('backoffMs', () => {
  it('is full-jitter exponential, capped, and honours Retry-After', () => {
    const p = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(1, p, 0.5)).toBe(50);
    expect(backoffMs(3, p, 0.999)).toBe(399);
    expect(backoffMs(10, p, 0.999)).toBe(999);
    expect(backoffMs(1, p, 0, 2500)).toBe(2500);
    expect(backoffMs(1, p, 0, 60_000)).toBe(5000); // capped at 5 × maxDelay
  });
});

describe('VariantWindow', () => {
  it('counts requests and errors over the window and forgets older slots', () => {
    const w = new VariantWindow(10);
    for (let i = 0; i < 100; i++) w.record(1000 + i, 100, 20, i % 10 === 0);
    let s = w.stats(1500);
    expect(s.requests).toBe(100);
    expect(s.errors).toBe(10);
    expect(s.errorRate).toBeCloseTo(0.1, 12);
    s = w.stats(11_000);
    expect(s.requests).toBe(0);
  });

  it('estimates percentiles within one 10% log bucket', () => {
    const w = new VariantWindow(60);
    for (let ms = 1; ms <= 1000; ms++) w.record(5000, ms, null, false);
    const s = w.stats(5000);
    // Exact p50 = 500, p95 = 950, p99 = 990 (nearest rank over 1..1000).
    expect(s.latencyMs.p50! / 500).toBeGreaterThan(0.9);
    expect(s.latencyMs.p50! / 500).toBeLessThan(1.1);
    expect(s.latencyMs.p95! / 950).toBeGreaterThan(0.9);
    expect(s.latencyMs.p95! / 950).toBeLessThan(1.1);
    expect(s.latencyMs.p99! / 990).toBeGreaterThan(0.9);
    expect(s.latencyMs.p99! / 990).toBeLessThan(1.1);
    expect(s.ttftMs.p50).toBeNull();
  });

  it('counts feedback', () => {
    const w = new VariantWindow(60);
    w.feedback(0, 'up');
    w.feedback(10, 'up');
    w.feedback(20, 'down');
    expect(w.stats(30).feedback).toEqual({ up: 2, down: 1 });
  });
});
