import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/eval/rate-limiter.js';

describe('RateLimiter', () => {
  it('lets a full bucket of requests through, then spaces them at the refill rate', () => {
    let t = 0;
    const rl = new RateLimiter(60, undefined, () => t); // 1 per second
    for (let i = 0; i < 60; i++) expect(rl.reserve(0)).toBe(0);
    expect(rl.reserve(0)).toBeCloseTo(1000, 6);
    expect(rl.reserve(0)).toBeCloseTo(2000, 6);
    t = 2000; // two tokens refilled, both already booked
    expect(rl.reserve(0)).toBeCloseTo(1000, 6);
  });
  it('limits tokens per minute, letting an oversized request through once the bucket is full', () => {
    let t = 0;
    const rl = new RateLimiter(undefined, 1000, () => t);
    expect(rl.reserve(600)).toBe(0);
    expect(rl.reserve(600)).toBeCloseTo(12_000, 6); // 200 short at 1000/min
    t = 60_000 * 10;
    expect(rl.reserve(5000)).toBe(0); // capped at the bucket size
  });
  it('is a no-op without limits', () => {
    const rl = new RateLimiter(undefined, undefined);
    expect(rl.limited).toBe(false);
    expect(rl.reserve(1e9)).toBe(0);
  });
});
