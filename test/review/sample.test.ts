import { describe, expect, it } from 'vitest';
import { allocate, isReviewable, sampleKey, stratifiedSample } from '../../src/review/sample.js';
import { parseDuration, resolveSince } from '../../src/review/duration.js';
import type { LoggedResponse } from '../../src/review/types.js';
import { createRng } from '../../src/stats/index.js';

function response(i: number, over: Partial<LoggedResponse> = {}): LoggedResponse {
  return {
    requestId: `r${i}`,
    time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    deployment: 'd',
    variant: i % 10 === 0 ? 'canary' : 'stable',
    messages: [{ role: 'user', content: `q${i}` }],
    response: `a${i}`,
    status: 'ok',
    ...over,
  };
}

describe('allocate', () => {
  it('matches hand-computed allocations', () => {
    // 90/10 of 10: quotas 9 and 1.
    expect(allocate({ a: 90, b: 10 }, 10)).toEqual({ a: 9, b: 1 });
    // 98/1/1 of 10: quotas 9.8, 0.1, 0.1 → the two tiny strata are raised to 1, taken back from a.
    expect(allocate({ a: 98, b: 1, c: 1 }, 10)).toEqual({ a: 8, b: 1, c: 1 });
    // 50/30/20 of 7: quotas 3.5, 2.1, 1.4 → floors 3, 2, 1; the one left goes to the largest remainder (a: .5).
    expect(allocate({ a: 50, b: 30, c: 20 }, 7)).toEqual({ a: 4, b: 2, c: 1 });
    // Fewer items asked than strata: still one per stratum (a small canary is always reviewed).
    expect(allocate({ a: 60, b: 30, c: 10 }, 1)).toEqual({ a: 1, b: 1, c: 1 });
    expect(allocate({ a: 60, b: 30, c: 6 }, 2)).toEqual({ a: 1, b: 1, c: 1 });
    // Equal remainders: the smaller name wins.
    expect(allocate({ b: 5, a: 5 }, 3)).toEqual({ a: 2, b: 1 });
    // Size beyond the population: everything.
    expect(allocate({ a: 3, b: 2 }, 100)).toEqual({ a: 3, b: 2 });
    // A stratum smaller than its quota gives the rest to others.
    expect(allocate({ a: 2, b: 100 }, 50)).toEqual({ a: 1, b: 49 });
    expect(allocate({}, 10)).toEqual({});
    expect(allocate({ a: 0, b: 4 }, 2)).toEqual({ b: 2 });
  });

  it('holds its invariants over 2,000 random populations', () => {
    const rng = createRng('allocate');
    for (let trial = 0; trial < 2000; trial++) {
      const n = 1 + Math.floor(rng.next() * 6);
      const counts: Record<string, number> = {};
      for (let i = 0; i < n; i++) counts[`s${i}`] = Math.floor(rng.next() ** 3 * 500);
      const size = 1 + Math.floor(rng.next() * 150);
      const out = allocate(counts, size);
      const total = Object.values(counts).reduce((s, x) => s + x, 0);
      const nonEmpty = Object.keys(counts).filter((k) => counts[k]! > 0);
      const sum = Object.values(out).reduce((s, x) => s + x, 0);
      // The size asked, or one per stratum when there are more strata than that.
      const target = Math.min(Math.max(size, nonEmpty.length), total);
      expect(sum).toBe(target);
      for (const k of nonEmpty) {
        expect(out[k]).toBeLessThanOrEqual(counts[k]!);
        expect(out[k]).toBeGreaterThanOrEqual(1);
        // Never further than one item above its proportional quota, unless raised to the minimum of one.
        const quota = (target * counts[k]!) / total;
        if (out[k]! > 1) expect(out[k]!).toBeLessThan(quota + 1 + 1e-9);
      }
    }
  });
});

describe('stratifiedSample', () => {
  const log = Array.from({ length: 1000 }, (_, i) => response(i));

  it('draws the allocated number per variant, reproducibly by seed and regardless of log order', () => {
    const a = stratifiedSample(log, 50, 'seed-1');
    expect(a.population).toEqual({ 'd/canary': 100, 'd/stable': 900 });
    expect(a.allocation).toEqual({ 'd/canary': 5, 'd/stable': 45 });
    expect(a.items.filter((r) => r.variant === 'canary')).toHaveLength(5);
    expect(new Set(a.items.map((r) => r.requestId)).size).toBe(50);
    const reversed = stratifiedSample([...log].reverse(), 50, 'seed-1');
    expect(reversed.items.map((r) => r.requestId)).toEqual(a.items.map((r) => r.requestId));
    const other = stratifiedSample(log, 50, 'seed-2');
    expect(other.items.map((r) => r.requestId)).not.toEqual(a.items.map((r) => r.requestId));
  });

  it('asked for fewer items than there are deployment/variant groups, still takes one from each', () => {
    // The QA case: --size 2 over three groups, the canary the smallest.
    const three = [
      ...Array.from({ length: 30 }, (_, i) => response(i, { deployment: 'support', variant: 'stable' })),
      ...Array.from({ length: 6 }, (_, i) => response(100 + i, { deployment: 'support', variant: 'canary' })),
      ...Array.from({ length: 20 }, (_, i) => response(200 + i, { deployment: 'billing', variant: 'stable' })),
    ];
    for (const seed of ['a', 'b', 'c']) {
      const s = stratifiedSample(three, 2, seed);
      expect(s.allocation).toEqual({ 'billing/stable': 1, 'support/canary': 1, 'support/stable': 1 });
      expect(s.items.map((r) => `${r.deployment}/${r.variant}`).sort()).toEqual(['billing/stable', 'support/canary', 'support/stable']);
    }
  });

  it('leaves out failed, redacted and empty responses and counts them', () => {
    const mixed = [
      response(1),
      response(2, { status: 'error', response: null }),
      response(3, { messages: null }),
      response(4, { response: '   ' }),
      response(5, { messages: [{ role: 'system', content: 'only a system prompt' }] }),
    ];
    expect(mixed.map(isReviewable)).toEqual([true, false, false, false, false]);
    const s = stratifiedSample(mixed, 10, 'x');
    expect(s.items.map((r) => r.requestId)).toEqual(['r1']);
    expect(s.unreviewable).toBe(4);
  });

  it('gives every response the same chance within a stratum (each of 20 picked ~ 5/20 of 4,000 seeds)', () => {
    const small = Array.from({ length: 20 }, (_, i) => response(i + 1, { variant: 'v' }));
    const hits = new Map<string, number>();
    const seeds = 4000;
    for (let s = 0; s < seeds; s++) for (const r of stratifiedSample(small, 5, `s${s}`).items) hits.set(r.requestId, (hits.get(r.requestId) ?? 0) + 1);
    // Expected 1000 per item; binomial sd = sqrt(4000 · .25 · .75) ≈ 27.4, so ±5 sd is ±137.
    for (const n of hits.values()) expect(Math.abs(n - 1000)).toBeLessThan(137);
    expect(hits.size).toBe(20);
  });

  it('sampleKey is a deterministic uniform draw per (seed, request)', () => {
    expect(sampleKey('a', 'r1')).toBe(sampleKey('a', 'r1'));
    expect(sampleKey('a', 'r1')).not.toBe(sampleKey('b', 'r1'));
    const keys = Array.from({ length: 10_000 }, (_, i) => sampleKey('k', `r${i}`));
    const mean = keys.reduce((s, x) => s + x, 0) / keys.length;
    // Uniform(0,1) mean 0.5 with sd 1/sqrt(12·10000) ≈ 0.0029; ±5 sd.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0145);
    expect(Math.min(...keys)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...keys)).toBeLessThan(1);
  });
});

describe('durations', () => {
  it('parses look-backs and ISO dates', () => {
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('36h')).toBe(36 * 3_600_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('0d')).toBeUndefined();
    expect(parseDuration('seven days')).toBeUndefined();
    const now = new Date('2026-11-23T12:00:00Z');
    expect(resolveSince('7d', now)).toBe('2026-11-16T12:00:00.000Z');
    expect(resolveSince('2026-11-01', now)).toBe('2026-11-01T00:00:00.000Z');
    expect(resolveSince('last week', now)).toBeUndefined();
  });
});
