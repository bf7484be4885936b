import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, hash32, layoutRanges, validateSplit, variantForBucket, type SplitVariant } from '../../src/gateway/split.js';
import { uuidv7 } from '../../src/util/uuid7.js';

const v = (name: string, role: SplitVariant['role'], weightBp: number): SplitVariant => ({ name, role, weightBp });

describe('hash32', () => {
  it('matches FNV-1a 32 + murmur fmix32 reference values', () => {
    // Independent reference: the published FNV-1a 32 and murmur3 fmix32 definitions, in exact BigInt arithmetic.
    const fnv = (s: string) => { let h = 0x811c9dc5n; for (const c of s) { h ^= BigInt(c.charCodeAt(0)); h = (h * 0x01000193n) & 0xffffffffn; } return h; };
    const fmix = (h: bigint) => { h ^= h >> 16n; h = (h * 0x85ebca6bn) & 0xffffffffn; h ^= h >> 13n; h = (h * 0xc2b2ae35n) & 0xffffffffn; h ^= h >> 16n; return Number(h); };
    for (const s of ['', 'a', 'tenant\u0000user-1', 'ünïcode', 'x'.repeat(300)]) expect(hash32(s)).toBe(fmix(fnv(s)));
  });

  it('keeps tenant and user apart', () => {
    expect(bucketOf('ab', 'c')).not.toBe(bucketOf('a', 'bc'));
  });
});

describe('layoutRanges', () => {
  it('covers the bucket space exactly once for every split of a canary', () => {
    for (let w = 0; w <= BUCKETS; w += 50) {
      const ranges = layoutRanges([v('baseline', 'baseline', BUCKETS - w), v('cand', 'candidate', w)]);
      const total = ranges.reduce((s, r) => s + (r.end - r.start), 0);
      expect(total).toBe(BUCKETS);
      const cand = ranges.find((r) => r.variant === 'cand');
      expect(cand ? cand.end - cand.start : 0).toBe(w);
    }
  });

  it('raising a candidate share never moves a user already on it (one and two candidates)', () => {
    const users = Array.from({ length: 20_000 }, (_, i) => bucketOf('acme', `user-${i}`));
    const steps = [0, 100, 500, 2500, 5000, 10_000];
    for (let i = 1; i < steps.length; i++) {
      const before = layoutRanges([v('b', 'baseline', BUCKETS - steps[i - 1]!), v('c', 'candidate', steps[i - 1]!)]);
      const after = layoutRanges([v('b', 'baseline', BUCKETS - steps[i]!), v('c', 'candidate', steps[i]!)]);
      for (const u of users) if (variantForBucket(before, u) === 'c') expect(variantForBucket(after, u)).toBe('c');
    }
    // A/B/C: growing either candidate keeps both candidates' members.
    const abc = (x: number, y: number) => layoutRanges([v('b', 'baseline', BUCKETS - x - y), v('x', 'candidate', x), v('y', 'candidate', y)]);
    for (const [x0, y0, x1, y1] of [[1000, 1000, 3000, 1000], [1000, 1000, 1000, 4000], [500, 500, 4000, 4000]] as const) {
      const before = abc(x0, y0);
      const after = abc(x1, y1);
      for (const u of users) {
        const was = variantForBucket(before, u);
        if (was !== 'b') expect(variantForBucket(after, u)).toBe(was);
      }
    }
  });

  it('rejects splits that do not sum to 100% or lack one baseline', () => {
    expect(validateSplit([v('a', 'candidate', BUCKETS)])).toContain('exactly one baseline variant is required (found 0)');
    expect(validateSplit([v('a', 'baseline', 9000)])[0]).toMatch(/sum to 100%/);
    expect(() => layoutRanges([v('a', 'baseline', 5000), v('b', 'baseline', 5000)])).toThrow(/exactly one baseline/);
    expect(validateSplit([v('a', 'baseline', 10_000), v('b', 'candidate', 0)])).toEqual([]);
  });

  it('a sticky 5% split over 100,000 distinct users lands within 5% ± 0.3 points', () => {
    const ranges = layoutRanges([v('baseline', 'baseline', 9500), v('canary', 'candidate', 500)]);
    let onCanary = 0;
    for (let i = 0; i < 100_000; i++) if (variantForBucket(ranges, bucketOf('tenant-a', `user-${i}`)) === 'canary') onCanary++;
    const share = (onCanary / 100_000) * 100;
    expect(share).toBeGreaterThanOrEqual(4.7);
    expect(share).toBeLessThanOrEqual(5.3);
  });

  it('anonymous requests, keyed by their request id (UUIDv7, most of it shared within a millisecond), split by weight too', () => {
    const ranges = layoutRanges([v('baseline', 'baseline', 9500), v('canary', 'candidate', 500)]);
    let onCanary = 0;
    for (let i = 0; i < 100_000; i++) if (variantForBucket(ranges, bucketOf('tenant-a', uuidv7(1_800_000_000_000 + Math.floor(i / 50)))) === 'canary') onCanary++;
    const share = (onCanary / 100_000) * 100;
    expect(share).toBeGreaterThanOrEqual(4.7);
    expect(share).toBeLessThanOrEqual(5.3);
  });

  it('spreads users uniformly over the buckets (chi-square over 100 cells)', () => {
    const cells = new Array<number>(100).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) cells[Math.floor(bucketOf('t', `u${i}`) / 100)]!++;
    const expected = n / 100;
    const chi2 = cells.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // chi-square, 99 degrees of freedom: 0.999 quantile 148.23 (scipy.stats.chi2.ppf(0.999, 99); the
    // Wilson–Hilferty approximation 99·(1 − 2/891 + 3.0902·√(2/891))³ = 148.29 agrees, by hand).
    expect(chi2).toBeLessThan(148.23);
  });
});
