import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/config/yaml-source.js';
import { InputError } from '../../src/errors.js';
import { DEFAULT_THRESHOLDS, parseGatePolicy, resolveGatePolicy } from '../../src/gate/index.js';

describe('gate policy', () => {
  it('defaults follow DESIGN.md: pass rate ≥ 92%, hallucination ≤ 3%, P50 1.5 s, P95 4 s, P99 8 s, margin noise', () => {
    const p = resolveGatePolicy();
    expect(p).toMatchObject({ confidence: 0.95, resamples: 10_000, minSamples: 30, seed: 1 });
    const byName = Object.fromEntries(p.metrics.map((m) => [m.metric, m]));
    expect(byName.passRate).toMatchObject({ min: 0.92, compare: true, margin: 'noise' });
    expect(byName.hallucinationRate).toMatchObject({ max: 0.03 });
    expect([byName.latencyP50!.max, byName.latencyP95!.max, byName.latencyP99!.max]).toEqual([1500, 4000, 8000]);
    expect(byName.errorRate).toMatchObject({ min: undefined, max: undefined, compare: true });
    expect(Object.keys(DEFAULT_THRESHOLDS)).toHaveLength(5);
  });
  it('layers: project then suite override per metric key; false switches a metric off', () => {
    const p = resolveGatePolicy({ passRate: { min: 0.8, margin: 0.02 }, resamples: 500 }, { passRate: { margin: 0.05 }, latencyP99: false });
    const pr = p.metrics.find((m) => m.metric === 'passRate')!;
    expect(pr).toMatchObject({ min: 0.8, margin: 0.05 });
    expect(p.resamples).toBe(500);
    expect(p.metrics.some((m) => m.metric === 'latencyP99')).toBe(false);
  });
  it('setting only a margin keeps the default threshold; setting a threshold replaces it', () => {
    const p = resolveGatePolicy({ latencyP95: { margin: 0.2 }, passRate: { min: 0.5 } });
    expect(p.metrics.find((m) => m.metric === 'latencyP95')).toMatchObject({ max: 4000, margin: 0.2 });
    expect(p.metrics.find((m) => m.metric === 'passRate')).toMatchObject({ min: 0.5 });
  });
  it('reports every problem with file, line, column and key path', () => {
    const src = parseYamlText('suite.yaml', [
      'name: qa',
      'gates:',
      '  passRate: { max: 0.9 }',
      '  latencyP95: { max: -1, margin: lots }',
      '  bogus: 1',
      '  confidence: 2',
    ].join('\n'));
    let err: unknown;
    try { parseGatePolicy((src.data as { gates: unknown }).gates, src, ['gates']); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    const issues = (err as InputError).issues;
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('gates.passRate.max');
    expect(paths).toContain('gates.latencyP95.margin');
    expect(paths).toContain('gates.confidence');
    expect(paths.some((p) => p === 'gates' || p?.startsWith('gates'))).toBe(true);
    const max = issues.find((i) => i.path === 'gates.passRate.max')!;
    expect(max).toMatchObject({ file: 'suite.yaml', line: 3 });
    expect(max.message).toMatch(/higher is better, so set `min`/);
    expect((err as InputError).exitCode).toBe(2);
  });
  it('accepts a valid mapping and an empty one', () => {
    expect(parseGatePolicy({ judgeScore: { scorer: 'helpfulness', min: 0.7 }, seed: 'ci' })).toMatchObject({ seed: 'ci' });
    expect(parseGatePolicy(undefined)).toEqual({});
    expect(() => parseGatePolicy({ passRate: { scorer: 'x' } })).toThrow(/judgeScore only/);
  });
});
