import { describe, expect, it } from 'vitest';
import { reviewerAgreement } from '../../src/review/agreement.js';
import { consolidate, lowerMedian } from '../../src/review/consolidate.js';
import type { Grade } from '../../src/review/types.js';

function grades(reviewer: string, accuracy: number[]): Grade[] {
  return accuracy.map((a, i) => ({
    batchId: 'b',
    requestId: `r${i}`,
    reviewer,
    scores: { accuracy: a, helpfulness: 3, safety: 5 },
    correctedAnswer: null,
    note: null,
    gradedAt: `2026-11-23T00:00:0${i}Z`,
  }));
}

const ana = [5, 4, 3, 2, 5, 1];
const ben = [5, 3, 3, 2, 4, 2];
const cal = [4, 4, 3, 1, 5, 2];

describe('reviewer agreement', () => {
  it('two reviewers: percent agreement and quadratic-weighted kappa against exact hand arithmetic', () => {
    const extra: Grade[] = [
      // Graded by one reviewer only, or skipped by the other: not compared.
      { ...grades('ana', [1])[0]!, requestId: 'solo' },
      { ...grades('ana', [3])[0]!, requestId: 'skipped' },
      { ...grades('ben', [3])[0]!, requestId: 'skipped', scores: null },
    ];
    const [accuracy, helpfulness] = reviewerAgreement([...grades('ana', ana), ...grades('ben', ben), ...extra]);
    expect(accuracy!.items).toBe(6);
    expect(accuracy!.comparisons).toBe(6);
    expect(accuracy!.exact).toBeCloseTo(3 / 6, 12); // equal on items 0, 2, 3
    expect(accuracy!.withinOne).toBe(1);
    // Python fractions over the 5×5 confusion, w_ij = ((i−j)/4)²: 1 − Σw·O / Σw·E = 52/61.
    expect(accuracy!.kappa).toBeCloseTo(52 / 61, 12);
    expect(accuracy!.pairs).toEqual([{ a: 'ana', b: 'ben', n: 6, kappaQuadratic: expect.closeTo(52 / 61, 12) }]);
    // Everyone said 3: perfect agreement, but kappa is undefined (no variation to agree on).
    expect(helpfulness!.exact).toBe(1);
    expect(helpfulness!.kappa).toBeNull();
  });

  it("three reviewers: pooled agreement over 18 comparisons, Light's kappa = mean of the pair kappas", () => {
    const [accuracy] = reviewerAgreement([...grades('cal', cal), ...grades('ana', ana), ...grades('ben', ben)]);
    expect(accuracy!.comparisons).toBe(18);
    expect(accuracy!.exact).toBeCloseTo(8 / 18, 12); // ana–ben 3, ana–cal 3, ben–cal 2
    expect(accuracy!.withinOne).toBe(1);
    // Pair kappas by exact fractions: ana–ben 52/61, ana–cal 64/73, ben–cal 41/53.
    expect(accuracy!.pairs.map((p) => [p.a, p.b])).toEqual([['ana', 'ben'], ['ana', 'cal'], ['ben', 'cal']]);
    expect(accuracy!.kappa).toBeCloseTo((52 / 61 + 64 / 73 + 41 / 53) / 3, 12);
  });

  it('no item with two reviewers: nothing to compare', () => {
    const [accuracy] = reviewerAgreement(grades('ana', ana));
    expect(accuracy).toMatchObject({ items: 0, comparisons: 0, exact: null, withinOne: null, kappa: null, pairs: [] });
  });
});

describe('consolidate', () => {
  it('lower median leans strict on an even count', () => {
    expect(lowerMedian([5])).toBe(5);
    expect(lowerMedian([5, 2])).toBe(2);
    expect(lowerMedian([4, 1, 5])).toBe(4);
    expect(lowerMedian([5, 4, 2, 1])).toBe(2);
  });

  it('merges reviewers: medians, the latest correction, notes, problem dimensions', () => {
    const item = { batchId: 'b', position: 1, response: { requestId: 'r0', time: 't', deployment: 'd', variant: 'v', messages: [{ role: 'user' as const, content: 'q' }], response: 'a', status: 'ok' } };
    const g = (reviewer: string, accuracy: number, safety: number, corrected: string | null, at: string): Grade => ({
      batchId: 'b', requestId: 'r0', reviewer, scores: { accuracy, helpfulness: 4, safety }, correctedAnswer: corrected, note: `${reviewer} note`, gradedAt: at,
    });
    const [v] = consolidate([item], [g('ben', 2, 1, 'later fix', '2026-11-23T10:00:00Z'), g('ana', 1, 5, 'early fix', '2026-11-23T09:00:00Z')]);
    expect(v!.reviewers).toEqual(['ana', 'ben']);
    expect(v!.scores.accuracy).toEqual([1, 2]);
    expect(v!.median).toEqual({ accuracy: 1, helpfulness: 4, safety: 1 });
    expect(v!.correctedAnswer).toBe('later fix');
    expect(v!.problems).toEqual(['accuracy', 'safety']);
    expect(v!.notes.sort()).toEqual(['ana note', 'ben note']);
  });
});
