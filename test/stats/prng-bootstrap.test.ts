import { describe, expect, it } from 'vitest';
import { bootstrapMean, bootstrapPairedMeanDiff, createRng, percentileInterval, seedToInt } from '../../src/stats/index.js';

describe('seeded PRNG', () => {
  it('is reproducible per seed and differs across seeds', () => {
    const a = createRng(42), b = createRng(42), c = createRng(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
    expect(seedToInt('abc')).toBe(0x1a47e90b); // FNV-1a 32 of "abc" (published test vector)
  });
  it('is roughly uniform: mean ≈ 1/2 and ints hit every bucket evenly', () => {
    const r = createRng('u');
    let s = 0;
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) { s += r.next(); buckets[r.int(10)]++; }
    expect(Math.abs(s / 100_000 - 0.5)).toBeLessThan(0.005); // sd of the mean ≈ 0.0009
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500); // sd ≈ 95
  });
});

describe('bootstrap', () => {
  it('percentile interval uses nearest ranks', () => {
    const reps = Float64Array.from({ length: 100 }, (_, i) => 99 - i);
    expect(percentileInterval(reps, 0.9)).toEqual([4, 94]);
  });
  it('identical paired samples give a zero-width interval at 0', () => {
    const x = [0.2, 0.5, 0.9, 1];
    const r = bootstrapPairedMeanDiff(x, x, { resamples: 200, rng: createRng(1) });
    expect(r.estimate).toBe(0);
    expect(r.interval).toEqual([0, 0]);
  });
  it('a constant shift is recovered exactly by the paired bootstrap', () => {
    const x = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 10);
    const y = x.map((v) => v + 3);
    const r = bootstrapPairedMeanDiff(x, y, { resamples: 500, rng: createRng(2) });
    expect(r.interval[0]).toBeCloseTo(3, 10);
    expect(r.interval[1]).toBeCloseTo(3, 10);
  });
  it('interval of a mean covers the CLT interval width (normal theory ±1.96·sd/√n)', () => {
    const rng = createRng(3);
    const x: number[] = Array.from({ length: 400 }, () => (rng.next() < 0.3 ? 1 : 0));
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const half = 1.96 * Math.sqrt((mean * (1 - mean)) / x.length);
    const r = bootstrapMean(x, { resamples: 4000, rng: createRng(4) });
    expect(r.interval[0]).toBeGreaterThan(mean - half * 1.15);
    expect(r.interval[0]).toBeLessThan(mean - half * 0.85);
    expect(r.interval[1]).toBeGreaterThan(mean + half * 0.85);
    expect(r.interval[1]).toBeLessThan(mean + half * 1.15);
  });
  it('is reproducible from the seed', () => {
    const x = [1, 2, 3, 4, 5, 6, 7];
    const a = bootstrapMean(x, { resamples: 300, rng: createRng('s') });
    const b = bootstrapMean(x, { resamples: 300, rng: createRng('s') });
    expect(a.interval).toEqual(b.interval);
  });
});

describe('PRNG bulk fill', () => {
  it('fillUint32 continues the exact nextUint32 sequence', () => {
    const a = createRng(9), b = createRng(9);
    const buf = new Uint32Array(1000);
    a.nextUint32();
    b.nextUint32();
    a.fillUint32(buf);
    expect(Array.from(buf)).toEqual(Array.from({ length: 1000 }, () => b.nextUint32()));
    expect(a.nextUint32()).toBe(b.nextUint32());
  });
});
