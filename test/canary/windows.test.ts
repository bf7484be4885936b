import { describe, expect, it } from 'vitest';
import { InProcessWindows } from '../../src/canary/in-process-windows.js';
import { SampleSeries } from '../../src/canary/sample-series.js';

describe('SampleSeries', () => {
  it('visits only samples in (from, to], trims old ones and stays monotonic', () => {
    const s = new SampleSeries();
    for (let t = 1; t <= 10; t++) s.push(t * 100, t);
    const seen: number[] = [];
    s.forEachIn(300, 700, (v) => seen.push(v));
    expect(seen).toEqual([4, 5, 6, 7]);
    s.trim(500);
    expect(s.size).toBe(5);
    s.push(50, 99); // a clock step back is stored at the last time, so search stays valid
    const tail: number[] = [];
    s.forEachIn(999, 1000, (v) => tail.push(v));
    expect(tail).toEqual([10, 99]);
  });

  it('compacts after many trims without losing samples', () => {
    const s = new SampleSeries();
    for (let t = 0; t < 10_000; t++) {
      s.push(t, t);
      s.trim(t - 100);
    }
    expect(s.size).toBe(100);
    let sum = 0;
    s.forEachIn(-Infinity, Infinity, (v) => (sum += v));
    expect(sum).toBe((9900 + 9999) * 50);
  });
});

describe('SampleSeries.replace', () => {
  it('changes one sample stored at exactly that time and value, never a trimmed or different one', () => {
    const s = new SampleSeries();
    s.push(100, 1);
    s.push(100, 0);
    s.push(200, 1);
    expect(s.replace(100, 0, -1)).toBe(true);
    expect(s.replace(150, 1, -1)).toBe(false); // no sample at 150
    const seen: number[] = [];
    s.forEachIn(0, 300, (v) => seen.push(v));
    expect(seen).toEqual([1, -1, 1]);
    s.trim(150);
    expect(s.replace(100, 1, -1)).toBe(false); // trimmed: nothing to change
    expect(s.replace(200, 1, -1)).toBe(true);
  });
});

describe('InProcessWindows', () => {
  it('aggregates one variant over a window', () => {
    const w = new InProcessWindows(60_000);
    const d = 'chat';
    // 10 candidate requests at t=1..10 s: latencies 100..900 ms for 9 successes, one error.
    for (let i = 1; i <= 9; i++) w.recordRequest({ deployment: d, variant: 'candidate', atMs: i * 1000, ok: true, latencyMs: i * 100, costUsd: 0.001 });
    w.recordRequest({ deployment: d, variant: 'candidate', atMs: 10_000, ok: false, latencyMs: 5 });
    w.recordRequest({ deployment: d, variant: 'baseline', atMs: 10_000, ok: true, latencyMs: 1 });
    for (const [q, h] of [[1, false], [0.5, true], [0, false]] as const) {
      w.recordJudgement({ deployment: d, variant: 'candidate', atMs: 9000, quality: q, hallucinated: h });
    }
    w.recordFeedback({ deployment: d, variant: 'candidate', atMs: 9000, up: true });
    w.recordFeedback({ deployment: d, variant: 'candidate', atMs: 9000, up: false });
    const snap = w.snapshotSync({ deployment: d, variant: 'candidate', windowMs: 10_000, nowMs: 10_000 });
    expect(snap).toMatchObject({ requests: 10, errors: 1, hallucination: { n: 3, count: 1 }, thumbs: { n: 2, up: 1 }, ratePerSec: 1 });
    // numpy.percentile([100..900], [50, 95, 99]) = 500, 860, 892 (type 7)
    expect(snap.p50Ms).toBe(500);
    expect(snap.p95Ms).toBeCloseTo(860, 9);
    expect(snap.p99Ms).toBeCloseTo(892, 9);
    expect(snap.costUsd).toBeCloseTo(0.009, 12);
    // statistics.mean([1, .5, 0]) = 0.5, statistics.variance = 0.25
    expect(snap.quality.mean).toBeCloseTo(0.5, 12);
    expect(snap.quality.variance).toBeCloseTo(0.25, 12);
    expect(w.latencyAboveSync({ deployment: d, variant: 'candidate', windowMs: 10_000, nowMs: 10_000 }, 650)).toBe(3);
  });

  it('counts one rating per answer: a replaced rating is taken back, not added to', () => {
    const w = new InProcessWindows(60_000);
    const d = 'chat';
    w.recordFeedback({ deployment: d, variant: 'candidate', atMs: 1000, up: true });
    for (let t = 1100; t <= 1400; t += 100) w.recordFeedback({ deployment: d, variant: 'candidate', atMs: t, up: true, replaces: { atMs: t - 100, up: true } });
    w.recordFeedback({ deployment: d, variant: 'candidate', atMs: 1500, up: false, replaces: { atMs: 1400, up: true } });
    w.recordFeedback({ deployment: d, variant: 'candidate', atMs: 1600, up: true }); // another answer
    expect(w.snapshotSync({ deployment: d, variant: 'candidate', windowMs: 10_000, nowMs: 2000 }).thumbs).toEqual({ n: 2, up: 1 });
  });

  it('slides: old samples leave the window, variants and deployments stay apart', () => {
    const w = new InProcessWindows(30_000);
    for (let t = 0; t < 60_000; t += 100) {
      w.recordRequest({ deployment: 'a', variant: 'candidate', atMs: t, ok: t < 50_000, latencyMs: 10 });
    }
    const short = w.snapshotSync({ deployment: 'a', variant: 'candidate', windowMs: 10_000, nowMs: 59_900 });
    expect([short.requests, short.errors]).toEqual([100, 100]);
    const long = w.snapshotSync({ deployment: 'a', variant: 'candidate', windowMs: 20_000, nowMs: 59_900 });
    expect([long.requests, long.errors]).toEqual([200, 100]);
    expect(w.snapshotSync({ deployment: 'a', variant: 'baseline', windowMs: 20_000, nowMs: 59_900 }).requests).toBe(0);
    expect(w.snapshotSync({ deployment: 'b', variant: 'candidate', windowMs: 20_000, nowMs: 59_900 }).requests).toBe(0);
    w.reset('a');
    expect(w.snapshotSync({ deployment: 'a', variant: 'candidate', windowMs: 20_000, nowMs: 59_900 }).requests).toBe(0);
  });

  it('reports NaN percentiles and quality for empty windows', () => {
    const snap = new InProcessWindows(1000).snapshotSync({ deployment: 'x', variant: 'baseline', windowMs: 1000, nowMs: 0 });
    expect(snap.requests).toBe(0);
    expect(Number.isNaN(snap.p95Ms)).toBe(true);
    expect(Number.isNaN(snap.quality.mean)).toBe(true);
  });
});
