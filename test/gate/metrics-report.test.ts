import { describe, expect, it } from 'vitest';
import { evaluateGate, extractCaseTable, resolveGatePolicy } from '../../src/gate/index.js';
import { hallucinated } from '../../src/gate/metrics.js';
import { noiseFromAA } from '../../src/gate/calibrate.js';
import { renderGateJUnit } from '../../src/report/gate-junit.js';
import { renderGateMarkdown } from '../../src/report/gate-markdown.js';
import { result, simRun } from './support.js';

describe('metric extraction', () => {
  it('judge score from llm-judge / rubric scores (or a named scorer); hallucination from meta or faithfulness', () => {
    const rs = [
      result('r', 'a', { outcome: 'pass', scores: [{ name: 'llm-judge', value: 0.8, pass: true }, { name: 'faith', value: 1, pass: true, meta: { hallucination: false } }] }),
      result('r', 'a', { outcome: 'fail', repeat: 1, scores: [{ name: 'llm-judge', value: 0.4, pass: false }, { name: 'faith', value: 0, pass: false, meta: { hallucination: true } }] }),
      result('r', 'b', { outcome: 'pass', scores: [{ name: 'helpfulness', value: 0.6, pass: true, meta: { rubricHash: 'x', scale: [1, 5] } }, { name: 'faithfulness', value: 0, pass: false }] }),
      result('r', 'c', { outcome: 'error', latencyMs: 5000, costUsd: null }),
      result('r', 'd', { outcome: 'pass', cached: true, latencyMs: 1 }),
    ];
    const t = extractCaseTable(rs);
    expect(t.ids).toEqual(['a', 'b', 'c', 'd']);
    expect(t.columns.judge[0]).toBeCloseTo(0.6, 12); // mean of 0.8 and 0.4 over the two repeats
    expect(Array.from(t.columns.judge.slice(1))).toEqual([0.6, NaN, NaN]); // rubric-graded score counts
    expect(Array.from(t.columns.hallucination)).toEqual([0.5, 1, NaN, NaN]);
    expect(Array.from(t.columns.pass)).toEqual([0.5, 1, NaN, 1]);
    expect(Array.from(t.columns.error)).toEqual([0, 0, 1, 0]);
    expect(Number.isNaN(t.columns.latency[2]!)).toBe(true); // errored: no latency
    expect(Number.isNaN(t.columns.latency[3]!)).toBe(true); // cached: replayed latency left out
    expect(Array.from(t.repeats)).toEqual([2, 1, 1, 1]);
    const named = extractCaseTable(rs, { judgeScorer: 'helpfulness' });
    expect(Array.from(named.columns.judge)).toEqual([NaN, 0.6, NaN, NaN]);
    expect(hallucinated([])).toBeNull();
  });
});

describe('reports and calibration', () => {
  const v = evaluateGate({ candidate: simRun('cand', 1200, 0.95), baseline: simRun('base', 1200, 0.98), policy: resolveGatePolicy({ resamples: 1000 }) });
  it('Markdown names the verdict, every metric and the regressed cases', () => {
    const md = renderGateMarkdown(v, { maxFlips: 3 });
    expect(md).toMatch(/^### llmops gate: ❌ fail/);
    for (const m of v.metrics) expect(md).toContain(`| ${m.metric} |`);
    expect(md).toContain(`**${v.regressions.length} regressed cases**`);
    expect(md).toContain(`\`${v.regressions[0]!.caseId}\``);
    expect(md).toMatch(/… and \d+ more/);
  });
  it('JUnit has one testcase per metric and a failure for passRate', () => {
    const xml = renderGateJUnit(v);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(v.metrics.length);
    expect(xml).toMatch(/name="passRate">\n\s+<failure message="worse than the baseline/);
    expect(xml).toMatch(/failures="1"/);
  });
  it('A/A noise: margins that make the A/A pair pass its own gate', () => {
    const a = simRun('a', 600, 0.9), b = simRun('b', 600, 0.9);
    const policy = resolveGatePolicy({ resamples: 1000, passRate: { min: 0 }, latencyP50: { max: 1e9 }, latencyP95: { max: 1e9 }, latencyP99: { max: 1e9 } });
    const aa = evaluateGate({ candidate: b, baseline: a, policy });
    const noise = noiseFromAA(aa);
    expect(noise.passRate).toBeGreaterThan(0); // zero flips: the rare-flip bound, 0 of 600
    expect(noise.latencyP50).toBeGreaterThan(0); // independent latencies per run
    const again = evaluateGate({ candidate: b, baseline: a, policy, noise });
    expect(again.metrics.filter((m) => m.comparison).every((m) => m.comparison!.verdict === 'pass')).toBe(true);
  });
});
