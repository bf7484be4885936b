/**
 * Per-tenant request rate limit: a token bucket holding `rpm` tokens, refilled continuously at
 * rpm/60 per second. Clock injected, no timers. A refused request learns how long until a token.
 */
export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly perMs: number;

  constructor(private readonly capacity: number, now: number) {
    this.tokens = capacity;
    this.last = now;
    this.perMs = capacity / 60_000;
  }

  take(now: number): TakeResult {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - this.tokens) / this.perMs) };
  }
}

/** One bucket per key (tenant), created on first use. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly rpmOf: (key: string) => number | undefined) {}

  take(key: string, now: number): TakeResult {
    const rpm = this.rpmOf(key);
    if (rpm === undefined) return { ok: true };
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(rpm, now);
      this.buckets.set(key, b);
    }
    return b.take(now);
  }
}
