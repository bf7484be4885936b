import { describe, expect, it } from 'vitest';
import { evaluateGate, resolveGatePolicy, type GatePolicyInput, type GateVerdict } from '../../src/gate/index.js';
import { LlmopsError } from '../../src/errors.js';
import { result, side, simRun } from './support.js';

const policy = (extra: GatePolicyInput = {}) => resolveGatePolicy({ resamples: 2000, ...extra });
const metric = (v: GateVerdict, name: string) => v.metrics.find((m) => m.metric === name)!;

describe('evaluateGate: the acceptance scenarios', () => {
  it('a candidate truly worse on 3% of 1,200 cases fails on passRate and names the regressed cases', () => {
    const base = simRun('base', 1200, 0.98);
    const cand = simRun('cand', 1200, 0.95);
    const v = evaluateGate({ candidate: cand, baseline: base, policy: policy() });
    const pr = metric(v, 'passRate');
    expect(v.verdict).toBe('fail');
    expect(pr.verdict).toBe('fail');
    expect(pr.comparison!.mcnemar!.improved).toBe(0);
    expect(pr.comparison!.mcnemar!.regressed).toBe(v.regressions.length);
    expect(v.regressions.length).toBeGreaterThan(20);
    expect(pr.comparison!.ci[1]).toBeLessThan(-pr.comparison!.margin);
    expect(pr.reason).toMatch(/worse than the baseline beyond the margin/);
    expect(v.paired).toBe(true);
  });
  it('a candidate equal to the baseline passes', () => {
    const v = evaluateGate({ candidate: simRun('cand', 1200, 0.98), baseline: simRun('base', 1200, 0.98), policy: policy() });
    expect(v.metrics.map((m) => [m.metric, m.verdict])).toEqual(v.metrics.map((m) => [m.metric, 'pass']));
    expect(v.verdict).toBe('pass');
    expect(v.regressions).toEqual([]);
  });
  it('with 20 cases the same 3% drop is inconclusive, never a pass', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const v = evaluateGate({ candidate: simRun('cand', 20, 0.95, { seed }), baseline: simRun('base', 20, 0.98, { seed }), policy: policy() });
      expect(metric(v, 'passRate').verdict).toBe('inconclusive');
      expect(v.verdict).not.toBe('pass');
    }
  });
  it('even with minSamples lowered, 20 identical cases cannot show non-inferiority (rare-flip bound)', () => {
    const v = evaluateGate({ candidate: simRun('cand', 20, 0.95), baseline: simRun('base', 20, 0.95), policy: policy({ minSamples: 5, passRate: { min: 0.5 } }) });
    const pr = metric(v, 'passRate');
    expect(pr.comparison!.diff).toBe(0);
    expect(pr.comparison!.verdict).toBe('inconclusive');
  });
});

describe('evaluateGate: rules', () => {
  it('refuses runs of different suites and a run as its own baseline', () => {
    const a = simRun('a', 50, 0.9, { suite: 'x' });
    const b = simRun('b', 50, 0.9, { suite: 'y' });
    expect(() => evaluateGate({ candidate: a, baseline: b, policy: policy() })).toThrow(/suite 'x'.*suite 'y'/);
    try { evaluateGate({ candidate: a, baseline: a, policy: policy() }); } catch (e) { expect((e as LlmopsError).exitCode).toBe(2); }
    expect(() => evaluateGate({ candidate: a, baseline: a, policy: policy() })).toThrow(/own baseline/);
  });
  it('absolute thresholds without a baseline: exact binomial against the target', () => {
    const good = evaluateGate({ candidate: simRun('c', 1000, 0.97), baseline: null, policy: policy() });
    expect(metric(good, 'passRate').absolute!.verdict).toBe('pass');
    const bad = evaluateGate({ candidate: simRun('c', 1000, 0.86), baseline: null, policy: policy() });
    expect(metric(bad, 'passRate').verdict).toBe('fail');
    expect(metric(bad, 'passRate').reason).toMatch(/misses the target ≥ 92.0%/);
    const close = evaluateGate({ candidate: simRun('c', 200, 0.925), baseline: null, policy: policy() });
    expect(metric(close, 'passRate').verdict).toBe('inconclusive');
  });
  it('latency: a 60% slower candidate fails P50/P95 against the baseline; latency percentiles use nearest rank', () => {
    const v = evaluateGate({ candidate: simRun('c', 1000, 0.97, { latencyScale: 1.6 }), baseline: simRun('b', 1000, 0.97), policy: policy() });
    expect(metric(v, 'latencyP50').comparison!.verdict).toBe('fail');
    expect(metric(v, 'latencyP95').comparison!.verdict).toBe('fail');
    expect(metric(v, 'passRate').verdict).toBe('pass');
    expect(v.verdict).toBe('fail');
  });
  it('unpaired runs (no shared case ids) use independent resampling and report Mann-Whitney for latency', () => {
    const b = simRun('b', 400, 0.97);
    const renamed = { ...b, table: { ...b.table, ids: b.table.ids.map((id) => `other-${id}`) } };
    const v = evaluateGate({ candidate: simRun('c', 400, 0.97), baseline: renamed, policy: policy() });
    expect(v.paired).toBe(false);
    expect(v.sharedCases).toBe(0);
    expect(metric(v, 'latencyP50').comparison!.mannWhitneyP).toBeGreaterThan(0);
    expect(v.regressions).toEqual([]);
  });
  it('errors are neither pass nor fail: they count toward errorRate only', () => {
    const mk = (id: string, errors: number) => side(id, Array.from({ length: 100 }, (_, i) => result(id, `c${i}`, { outcome: i < errors ? 'error' : 'pass' })));
    const v = evaluateGate({ candidate: mk('c', 10), baseline: null, policy: policy({ passRate: { min: 0.5 }, errorRate: { max: 0.5 } }) });
    expect(metric(v, 'passRate').candidate).toMatchObject({ value: 1, n: 90 });
    expect(metric(v, 'errorRate').candidate).toMatchObject({ value: 0.1, n: 100 });
  });
  it('repeats are averaged per case, so flips can be partial and sort worst first', () => {
    const rs = (id: string, passes: Record<string, number>) => side(id, Object.entries(passes).flatMap(([c, k]) =>
      [0, 1, 2, 3].map((r) => result(id, c, { outcome: r < k ? 'pass' : 'fail', repeat: r }))));
    const base = rs('b', { a: 4, b: 4, c: 2, d: 0 });
    const cand = rs('c', { a: 0, b: 3, c: 2, d: 4 });
    const v = evaluateGate({ candidate: cand, baseline: base, policy: policy({ minSamples: 1 }) });
    expect(v.regressions.map((f) => f.caseId)).toEqual(['a', 'b']);
    expect(v.regressions[0]).toMatchObject({ baselinePass: 1, candidatePass: 0 });
    expect(v.improvements.map((f) => f.caseId)).toEqual(['d']);
  });
  it('is reproducible from the seed', () => {
    const args = () => ({ candidate: simRun('c', 300, 0.9), baseline: simRun('b', 300, 0.92), policy: policy({ seed: 'x' }) });
    expect(JSON.stringify(evaluateGate(args()))).toBe(JSON.stringify(evaluateGate(args())));
  });
  it('a metric switched off is not gated; margin from calibration is used for `noise`', () => {
    const v = evaluateGate({ candidate: simRun('c', 500, 0.97), baseline: simRun('b', 500, 0.97), policy: policy({ latencyP99: false }), noise: { passRate: 0.05 } });
    expect(v.metrics.find((m) => m.metric === 'latencyP99')).toBeUndefined();
    expect(metric(v, 'passRate').comparison).toMatchObject({ margin: 0.05, marginSource: 'calibrated' });
    expect(metric(v, 'latencyP50').comparison!.marginSource).toBe('default');
  });
});
