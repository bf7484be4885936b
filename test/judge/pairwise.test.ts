import { describe, expect, it } from 'vitest';
import { PairwiseScorer } from '../../src/eval/scorers/pairwise.js';
import { ScorerError, type ScoreInput } from '../../src/eval/scorers/types.js';
import { CaseVarBaseline } from '../../src/judge/baseline.js';
import { combinePairwiseOrders, pairwiseValue, type PairwiseOutcome } from '../../src/judge/pairwise-verdict.js';
import { SimJudge } from '../../src/judge/sim.js';
import type { CompareWinner } from '../../src/judge/tasks/compare.js';
import type { Case } from '../../src/suite/types.js';

describe('combinePairwiseOrders: all nine combinations', () => {
  // Order 1 shows the candidate as A; order 2 shows the baseline as A.
  const table: Array<[CompareWinner, CompareWinner, PairwiseOutcome, 'first' | 'second' | null]> = [
    ['A', 'B', 'candidate', null], // candidate won in both positions
    ['B', 'A', 'baseline', null], // baseline won in both positions
    ['tie', 'tie', 'tie', null],
    ['A', 'A', 'tie', 'first'], // always the first shown: position bias, cancelled to a tie
    ['B', 'B', 'tie', 'second'], // always the second shown
    ['A', 'tie', 'tie', null], // one order undecided: a disagreement is a tie
    ['tie', 'B', 'tie', null],
    ['B', 'tie', 'tie', null],
    ['tie', 'A', 'tie', null],
  ];
  it.each(table)('candidate-first %s, baseline-first %s → %s', (one, two, outcome, bias) => {
    const v = combinePairwiseOrders(one, two);
    expect(v.outcome).toBe(outcome);
    expect(v.positionBias).toBe(bias);
    expect(v.inconsistent).toBe(!(outcome !== 'tie' || (one === 'tie' && two === 'tie')));
  });
  it('values: win 1, tie 0.5, loss 0', () => {
    expect([pairwiseValue('candidate'), pairwiseValue('tie'), pairwiseValue('baseline')]).toEqual([1, 0.5, 0]);
  });
});

describe('pairwise scorer with the sim judge', () => {
  const c: Case = {
    id: 'p1',
    vars: { question: 'How long does a new card take?', old: 'Please restart your router.' },
    expected: 'A replacement card arrives within 5 working days.',
    tags: [],
  };
  const input = (text: string, kase: Case = c): ScoreInput => ({ case: kase, output: { text, inputTokens: 1, outputTokens: 1, latencyMs: 1, ttftMs: null }, prompt: String(kase.vars.question), modelRef: 'cand' });
  const scorer = new PairwiseScorer('pairwise', false, new SimJudge(), new CaseVarBaseline('old'), undefined);

  it('a better candidate wins in both orders', async () => {
    const s = await scorer.score(input('Your replacement card arrives within 5 working days.'));
    expect(s).toMatchObject({ value: 1, pass: true, meta: { outcome: 'candidate', candidateFirst: 'candidate', baselineFirst: 'candidate', inconsistent: false, baseline: 'vars.old', judgeCalls: 0 } });
  });
  it('a worse candidate loses and fails', async () => {
    const s = await scorer.score(input('Try turning it off and on.', { ...c, vars: { ...c.vars, old: c.expected } }));
    expect(s).toMatchObject({ value: 0, pass: false, meta: { outcome: 'baseline' } });
  });
  it('equal answers tie', async () => {
    const s = await scorer.score(input('Please restart your router.'));
    expect(s).toMatchObject({ value: 0.5, pass: true, meta: { outcome: 'tie' } });
  });
  it('a missing baseline answer is a scorer error', async () => {
    await expect(scorer.score(input('x', { ...c, vars: {} }))).rejects.toBeInstanceOf(ScorerError);
  });
});
