import { describe, expect, it } from 'vitest';
import type { WindowSnapshot } from '../../src/canary/metric-source.js';
import { defaultPolicy } from '../../src/canary/policy.js';
import { evaluateTriggers, nonInferiority, type WindowPair } from '../../src/canary/triggers.js';

function snap(over: Partial<WindowSnapshot> & Pick<WindowSnapshot, 'variant'>): WindowSnapshot {
  return {
    windowMs: 30_000, requests: 1000, errors: 10, p50Ms: 200, p95Ms: 400, p99Ms: 600,
    quality: { n: 200, mean: 0.8, variance: 0.04 }, hallucination: { n: 200, count: 4 }, thumbs: { n: 0, up: 0 },
    costUsd: 0, ratePerSec: 10, ...over,
  };
}
function pair(c: Partial<WindowSnapshot> = {}, above = 50, b: Partial<WindowSnapshot> = {}): WindowPair {
  return { windowMs: 30_000, baseline: snap({ variant: 'baseline', ...b }), candidate: snap({ variant: 'candidate', ...c }), candidateAboveLatencyLimit: above };
}
const policy = defaultPolicy();

function statusOf(p: WindowPair, metric: string) {
  return evaluateTriggers([p], policy).evidence.find((e) => e.metric === metric)!;
}

describe('rollback triggers', () => {
  it('a healthy candidate triggers nothing', () => {
    const d = evaluateTriggers([pair()], policy);
    expect(d.rollback).toBe(false);
    expect(d.evidence.map((e) => [e.metric, e.status])).toEqual([
      ['error_rate', 'ok'], ['p95_latency', 'ok'], ['quality', 'ok'], ['hallucination_rate', 'ok'],
    ]);
  });

  it('error rate +9 points with 1000 requests: a window breach naming metric, window, values, test and p-value, but no trigger (the sequential test decides on errors)', () => {
    const d = evaluateTriggers([pair({ errors: 100 })], policy);
    const e = d.evidence.find((x) => x.metric === 'error_rate')!;
    expect(e).toMatchObject({ metric: 'error_rate', windowMs: 30_000, baseline: 0.01, candidate: 0.1, status: 'breach', nBaseline: 1000, nCandidate: 1000 });
    expect(e.limit).toBeCloseTo(0.03, 12);
    expect(e.pValue).toBeLessThan(1e-6);
    expect(e.test).toMatch(/one-sided score-type z/);
    expect(d.rollback).toBe(false);
    expect(d.trigger).toBeUndefined();
  });

  it('an error rate just over the limit on few requests is "over", not a breach (no flapping)', () => {
    const e = statusOf(pair({ requests: 60, errors: 3 }, 3), 'error_rate'); // 5% vs 1%
    expect(e.status).toBe('over');
    expect(e.pValue).toBeGreaterThan(policy.alpha);
  });

  it('below the minimum samples nothing is tested', () => {
    const e = statusOf(pair({ requests: 49, errors: 49 }, 0), 'error_rate');
    expect(e.status).toBe('insufficient');
    expect(Number.isNaN(e.pValue)).toBe(true);
  });

  it('P95 latency up more than 50%: exact binomial on requests above 1.5× baseline P95', () => {
    const over = pair({ p95Ms: 900, errors: 0 }, 200, { errors: 0 });
    const e = statusOf(over, 'p95_latency');
    expect(e).toMatchObject({ status: 'breach', baseline: 400, candidate: 900, limit: 600, nCandidate: 1000 });
    expect(e.pValue).toBeLessThan(1e-10);
    expect(statusOf(pair({ p95Ms: 590 }, 40), 'p95_latency').status).toBe('ok');
    // P95 observed above the limit but only 6% of 1000 above it: not significant at 1%.
    // (P(Bin(1000, .05) ≥ 60) = 0.0867 by exact Fractions.)
    expect(statusOf(pair({ p95Ms: 610 }, 60), 'p95_latency').status).toBe('over');
  });

  it('quality down more than 5% (relative)', () => {
    const e = statusOf(pair({ quality: { n: 200, mean: 0.6, variance: 0.05 } }), 'quality');
    expect(e).toMatchObject({ status: 'breach', baseline: 0.8, candidate: 0.6 });
    expect(e.limit).toBeCloseTo(0.76, 12);
    expect(statusOf(pair({ quality: { n: 200, mean: 0.77, variance: 0.04 } }), 'quality').status).toBe('ok');
    expect(statusOf(pair({ quality: { n: 10, mean: 0, variance: 0 } }), 'quality').status).toBe('insufficient');
  });

  it('hallucination rate +3 points', () => {
    const e = statusOf(pair({ hallucination: { n: 400, count: 60 } }), 'hallucination_rate');
    expect(e).toMatchObject({ status: 'breach', baseline: 0.02, candidate: 0.15 });
    expect(statusOf(pair({ hallucination: { n: 400, count: 16 } }), 'hallucination_rate').status).toBe('ok');
  });

  it('thresholds are configurable', () => {
    const strict = defaultPolicy({ p95LatencyIncrease: 0.1, alpha: 0.2 });
    expect(evaluateTriggers([pair({ p95Ms: 460 }, 70)], strict).trigger?.metric).toBe('p95_latency');
    expect(evaluateTriggers([pair({ p95Ms: 460 }, 70)], policy).rollback).toBe(false);
    expect(statusOf(pair({ errors: 20 }), 'error_rate').status).toBe('ok');
    expect(evaluateTriggers([pair({ errors: 20 })], defaultPolicy({ errorRateIncrease: 0.001, alpha: 0.2 })).evidence[0]!.status).toBe('breach');
  });

  it('the most significant breach across windows is the trigger', () => {
    const short = pair({ hallucination: { n: 400, count: 40 } });
    const long: WindowPair = { ...pair({ hallucination: { n: 4000, count: 400 } }, 50, { hallucination: { n: 4000, count: 80 } }), windowMs: 300_000 };
    const d = evaluateTriggers([short, long], policy);
    expect(d.evidence).toHaveLength(8);
    expect(d.trigger).toMatchObject({ metric: 'hallucination_rate', windowMs: 300_000 });
  });
});

describe('non-inferiority to leave the 50% stage', () => {
  it('passes when the candidate is clearly within the margins', () => {
    const r = nonInferiority(pair(), policy);
    expect(r.passed).toBe(true);
    expect(r.evidence.map((e) => e.metric)).toEqual(['error_rate', 'quality']);
  });
  it('fails while the samples cannot rule out a 2-point increase', () => {
    const r = nonInferiority(pair({ requests: 60, errors: 1 }, 3, { requests: 60, errors: 1 }), policy);
    expect(r.passed).toBe(false);
    expect(r.evidence[0]!.status).toBe('over');
  });
  it('is insufficient without minimum samples and skips quality when nothing was judged', () => {
    const r = nonInferiority(pair({ requests: 10, quality: { n: 0, mean: NaN, variance: 0 } }), policy);
    expect(r.passed).toBe(false);
    expect(r.evidence.map((e) => [e.metric, e.status])).toEqual([['error_rate', 'insufficient']]);
  });
});
