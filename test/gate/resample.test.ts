import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/gate/metrics.js';
import { quantileFromPivot, quantileOf, resampleDifferences } from '../../src/gate/resample.js';
import { createRng, percentileInterval, percentileNearestRank, wilsonInterval } from '../../src/stats/index.js';

const cols = (over: Partial<Record<string, number[]>>, n: number) => {
  const c = (k: string) => Float64Array.from(over[k] ?? new Array(n).fill(NaN));
  return { pass: c('pass'), judge: c('judge'), hallucination: c('hallucination'), error: c('error'), latency: c('latency'), ttft: c('ttft'), cost: c('cost') };
};

describe('fused bootstrap', () => {
  it('point estimates equal the plain statistics (mean over present values, nearest-rank percentiles)', () => {
    const lat = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10];
    const c = cols({ pass: [1, 0, 1, 1, NaN, 1, 0, 1, 1, 1], latency: lat, judge: [0.5, 0.7, NaN, 1, 0, 0.2, 0.4, 0.9, 0.1, 0.3] }, 10);
    const out = resampleDifferences({ candidate: c, baseline: c, paired: true, metrics: [METRICS.passRate, METRICS.latencyP50, METRICS.latencyP95, METRICS.judgeScore], resamples: 50, rng: createRng(1) });
    const sorted = Float64Array.from(lat).sort();
    expect(out.candidate[0]).toBeCloseTo(7 / 9, 12);
    expect(out.candidate[1]).toBe(percentileNearestRank(sorted, 0.5));
    expect(out.candidate[2]).toBe(percentileNearestRank(sorted, 0.95));
    expect(out.candidate[3]).toBeCloseTo(4.1 / 9, 12);
    // Identical sides, paired: every replicate difference is exactly 0.
    for (const d of out.diffs) expect(d.every((x) => x === 0)).toBe(true);
  });
  it('paired pass-rate CI matches the normal-theory paired interval (McNemar variance) within 10%', () => {
    // n = 2000; 60 regressions (1→0) and 20 improvements (0→1): d = −0.02,
    // var(d) = ((b + c)/n − d²)/n → sd = √((0.04 − 0.0004)/2000) = 0.0044497…
    const n = 2000;
    const base = new Array(n).fill(1), cand = new Array(n).fill(1);
    for (let i = 0; i < 300; i++) base[i] = cand[i] = 0;
    for (let i = 300; i < 360; i++) cand[i] = 0;
    for (let i = 360; i < 380; i++) base[i] = 0;
    const out = resampleDifferences({ candidate: cols({ pass: cand }, n), baseline: cols({ pass: base }, n), paired: true, metrics: [METRICS.passRate], resamples: 4000, rng: createRng(5) });
    const diffs = out.diffs[0]!;
    const [lo, hi] = percentileInterval(diffs, 0.95);
    const sd = Math.sqrt((0.04 - 0.0004) / n);
    const d = out.candidate[0]! - out.baseline[0]!;
    expect(d).toBeCloseTo(-0.02, 12);
    expect((hi - lo) / (2 * 1.959964 * sd)).toBeGreaterThan(0.9);
    expect((hi - lo) / (2 * 1.959964 * sd)).toBeLessThan(1.1);
    expect((lo + hi) / 2).toBeCloseTo(-0.02, 2);
  });
  it('unpaired resampling of two independent rates matches the Wald interval width within 10%', () => {
    const n = 3000;
    const a = Array.from({ length: n }, (_, i) => (i < 2700 ? 1 : 0)); // 0.90
    const b = Array.from({ length: n }, (_, i) => (i < 2550 ? 1 : 0)); // 0.85
    const out = resampleDifferences({ candidate: cols({ pass: b }, n), baseline: cols({ pass: a }, n), paired: false, metrics: [METRICS.passRate], resamples: 4000, rng: createRng(6) });
    const [lo, hi] = percentileInterval(out.diffs[0]!, 0.95);
    const sd = Math.sqrt((0.9 * 0.1) / n + (0.85 * 0.15) / n);
    expect((hi - lo) / (2 * 1.959964 * sd)).toBeGreaterThan(0.9);
    expect((hi - lo) / (2 * 1.959964 * sd)).toBeLessThan(1.1);
    // sanity against Wilson of each side: the difference interval is wider than either alone
    const w = wilsonInterval(2550, n);
    expect(hi - lo).toBeGreaterThan(w[1] - w[0]);
  });
  it('ties in latency: a constant sample has zero-width percentile replicates', () => {
    const n = 200;
    const c = cols({ latency: new Array(n).fill(120) }, n);
    const b = cols({ latency: new Array(n).fill(100) }, n);
    const out = resampleDifferences({ candidate: c, baseline: b, paired: true, metrics: [METRICS.latencyP50, METRICS.latencyP99], resamples: 200, rng: createRng(2) });
    expect(out.diffs[0]!.every((x) => x === 20)).toBe(true);
    expect(out.diffs[1]!.every((x) => x === 20)).toBe(true);
  });
  it('a metric with no values on a side gives NaN replicates, not a crash', () => {
    const n = 50;
    const c = cols({ pass: new Array(n).fill(1), judge: new Array(n).fill(0.5) }, n);
    const b = cols({ pass: new Array(n).fill(1) }, n);
    const out = resampleDifferences({ candidate: c, baseline: b, paired: true, metrics: [METRICS.judgeScore], resamples: 20, rng: createRng(3) });
    expect(out.baseline[0]).toBeNaN();
    expect(out.diffs[0]!.every((x) => Number.isNaN(x))).toBe(true);
  });
});

describe('pivot shortcut for low quantiles', () => {
  it('walking up from a pivot with the weight below it gives the full walk\'s answer, ties included', () => {
    const r = createRng(11);
    for (let trial = 0; trial < 200; trial++) {
      const m = 64 + r.int(400);
      const values = Float64Array.from({ length: m }, () => (trial % 2 ? Math.round(r.next() * 20) : r.next() * 1000));
      const order = Uint32Array.from({ length: m }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
      const sorted = Float64Array.from(order, (i) => values[i]!);
      const w = Uint8Array.from({ length: m }, () => r.int(4));
      const total = w.reduce((a, b) => a + b, 0);
      const q = [0.5, 0.25, 0.1][trial % 3]!;
      // Pivot by value as addPivots does: every case below pivotValue, rank = how many there are.
      const pivotValue = sorted[Math.floor(m * q * 0.8)]!;
      let rank = 0;
      while (rank < m && sorted[rank]! < pivotValue) rank++;
      let below = 0;
      for (let i = 0; i < m; i++) if (values[i]! < pivotValue) below += w[i]!;
      expect(quantileFromPivot({ order, sorted }, w, total, q, rank, below)).toBe(quantileOf({ order, sorted }, w, total, q));
    }
  });
  it('pivots do not change point estimates and keep intervals statistically the same', () => {
    const n = 3000;
    const r = createRng(12);
    const lat = Array.from({ length: n }, () => Math.round(r.next() * 40) * 10);
    const lat2 = Array.from({ length: n }, () => Math.round(r.next() * 40) * 10 + 5);
    const c = cols({ latency: lat }, n), b = cols({ latency: lat2 }, n);
    const fast = resampleDifferences({ candidate: c, baseline: b, paired: true, metrics: [METRICS.latencyP50], resamples: 2000, rng: createRng(4) });
    const slow = resampleDifferences({ candidate: c, baseline: b, paired: true, metrics: [METRICS.latencyP50], resamples: 2000, rng: createRng(4), pivots: false });
    expect(fast.candidate[0]).toBe(slow.candidate[0]);
    const [a0, a1] = percentileInterval(fast.diffs[0]!, 0.9);
    const [b0, b1] = percentileInterval(slow.diffs[0]!, 0.9);
    expect(Math.abs(a0 - b0)).toBeLessThanOrEqual(10); // one 10 ms grid step
    expect(Math.abs(a1 - b1)).toBeLessThanOrEqual(10);
  });
});

describe('paired means as one difference series', () => {
  it('gives the same point estimates and, statistically, the same intervals as two series', () => {
    const n = 4000;
    const r = createRng(21);
    const judgeB = Array.from({ length: n }, (_, i) => (i % 50 === 0 ? NaN : r.next()));
    const judgeC = judgeB.map((x) => (Number.isNaN(x) ? NaN : Math.min(1, Math.max(0, x - 0.02 + 0.2 * (r.next() - 0.5)))));
    const cost = Array.from({ length: n }, () => 0.001 * r.next());
    const c = cols({ judge: judgeC, cost: cost.map((x) => x * 1.1) }, n), b = cols({ judge: judgeB, cost }, n);
    const input = { candidate: c, baseline: b, paired: true, metrics: [METRICS.judgeScore, METRICS.costPerCase], resamples: 3000 };
    const one = resampleDifferences({ ...input, rng: createRng(8) });
    const two = resampleDifferences({ ...input, rng: createRng(8), differenceSeries: false });
    for (let m = 0; m < 2; m++) {
      expect(one.candidate[m]).toBeCloseTo(two.candidate[m]!, 12);
      expect(one.baseline[m]).toBeCloseTo(two.baseline[m]!, 12);
      const [a0, a1] = percentileInterval(one.diffs[m]!, 0.95);
      const [b0, b1] = percentileInterval(two.diffs[m]!, 0.95);
      // Same sampling distribution: the bounds agree within a tenth of the interval's width.
      expect(Math.abs(a0 - b0)).toBeLessThan((b1 - b0) / 10);
      expect(Math.abs(a1 - b1)).toBeLessThan((b1 - b0) / 10);
    }
  });
});
