import { describe, expect, it } from 'vitest';
import type { Score } from '../../src/eval/scorers/types.js';
import { summarizeJudgeScores } from '../../src/judge/metrics.js';

const faith = (hallucination: boolean, cost: number | null = 0.001): Score => ({
  name: 'faithfulness', value: hallucination ? 0.5 : 1, pass: !hallucination,
  meta: { judgeModel: 'j', rubricHash: 'h', hallucination, judgeCalls: 1, judgeInputTokens: 100, judgeOutputTokens: 10, judgeCostUsd: cost },
});
const grade = (value: number, rubricHash = 'r1'): Score => ({
  name: 'helpfulness', value, pass: value >= 0.75,
  meta: { judgeModel: 'j', rubricHash, raw: 1 + value * 4, judgeCalls: 1, judgeInputTokens: 50, judgeOutputTokens: 5, judgeCostUsd: 0 },
});

describe('summarizeJudgeScores', () => {
  it('hallucination rate with the Wilson interval', () => {
    // 3 hallucinations in 20. Wilson 95% (z = 1.959963984540054), p = 0.15, n = 20:
    //   centre = (0.15 + z²/40) / (1 + z²/20) = 0.2063938053
    //   half   = z·sqrt(0.15·0.85/20 + z²/1600) / (1 + z²/20) = 0.1540250594
    //   → [0.0523687459, 0.3604188647]
    //   (python3 stdlib: z = statistics.NormalDist().inv_cdf(0.975), arithmetic with math.sqrt)
    const scores = [...Array.from({ length: 3 }, () => faith(true)), ...Array.from({ length: 17 }, () => faith(false))];
    const m = summarizeJudgeScores(scores);
    expect(m.hallucination).toHaveLength(1);
    const h = m.hallucination[0]!;
    expect([h.n, h.hallucinations, h.rate]).toEqual([20, 3, 0.15]);
    expect(h.interval[0]).toBeCloseTo(0.0523687459, 9);
    expect(h.interval[1]).toBeCloseTo(0.3604188647, 9);
  });

  it('mean judge score with a reproducible bootstrap interval around it, judges listed per rubric hash', () => {
    const values = [0, 0.25, 0.5, 0.75, 1, 1, 1, 0.75];
    const m = summarizeJudgeScores([...values.map((v) => grade(v)), grade(1, 'r2')]);
    const g = m.judgeScores[0]!;
    expect(g.n).toBe(9);
    expect(g.mean).toBeCloseTo(6.25 / 9, 12); // (0+0.25+0.5+0.75+1+1+1+0.75+1)/9
    expect(g.interval[0]).toBeLessThan(g.mean);
    expect(g.interval[1]).toBeGreaterThan(g.mean);
    expect(g.interval[0]).toBeGreaterThanOrEqual(0);
    expect(g.interval[1]).toBeLessThanOrEqual(1);
    expect(summarizeJudgeScores([...values.map((v) => grade(v)), grade(1, 'r2')]).judgeScores[0]!.interval).toEqual(g.interval);
    expect(g.judges).toEqual([{ judgeModel: 'j', rubricHash: 'r1', n: 8 }, { judgeModel: 'j', rubricHash: 'r2', n: 1 }]);
  });

  it('totals judge usage and cost apart from candidate scores; unknown price makes the cost null', () => {
    const candidateOnly: Score = { name: 'exact', value: 1, pass: true };
    const m = summarizeJudgeScores([faith(false), faith(true), grade(1), candidateOnly]);
    expect(m.usage).toEqual({ calls: 3, inputTokens: 250, outputTokens: 25, costUsd: 0.002, cached: 0 });
    expect(summarizeJudgeScores([faith(false), faith(false, null)]).usage.costUsd).toBeNull();
  });

  it('a verdict from the judge cache spends nothing: counted as cached, not as calls or tokens (also scores stored before this rule)', () => {
    const cached = (s: Score, calls: number, tokens: number): Score => ({ ...s, meta: { ...s.meta, judgeCached: true, judgeCalls: calls, judgeInputTokens: tokens, judgeOutputTokens: tokens, judgeCostUsd: 0 } });
    // One fresh verdict; one cached now (0 calls); one cached in an older run that stored the original call's figures.
    const m = summarizeJudgeScores([faith(false), cached(faith(true), 0, 0), cached(grade(1), 1, 100)]);
    expect(m.usage).toEqual({ calls: 1, inputTokens: 100, outputTokens: 10, costUsd: 0.001, cached: 2 });
    expect(m.hallucination[0]!.n).toBe(2); // cached verdicts still count as scores
  });
});
