import { describe, expect, it } from 'vitest';
import { computeAgreement, primaryKappa } from '../../src/judge/calibration/agreement.js';

const pairs = (rows: Array<[number, number, number]>) => rows.flatMap(([h, j, count]) => Array.from({ length: count }, () => ({ human: h, judge: j })));

describe('computeAgreement, binary pass/fail', () => {
  // Confusion (rows human, cols judge), categories [0, 1]:
  //          j=0  j=1
  //   h=0  [ 20,   5 ]   row 25
  //   h=1  [ 10,  15 ]   row 25
  //   cols   30,  20     n = 50
  // p_o = (20 + 15) / 50 = 0.7
  // p_e = (25·30 + 25·20) / 50² = (750 + 500) / 2500 = 0.5
  // kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4
  const r = computeAgreement(pairs([[0, 0, 20], [0, 1, 5], [1, 0, 10], [1, 1, 15]]), [0, 1]);
  it('builds the confusion matrix with humans in rows', () => {
    expect(r.confusion).toEqual([[20, 5], [10, 15]]);
    expect(r.n).toBe(50);
  });
  it('computes agreement and kappa as by hand', () => {
    expect(r.agreement).toBeCloseTo(0.7, 12);
    expect(r.kappa).toBeCloseTo(0.4, 12);
    // With two categories every weighting is the same 0/1 disagreement.
    expect(r.kappaLinear).toBeCloseTo(0.4, 12);
    expect(r.kappaQuadratic).toBeCloseTo(0.4, 12);
    expect(primaryKappa(r)).toBeCloseTo(0.4, 12);
  });
  it('says the judge is harsher: it fails 10 items humans passed and passes only 5 they failed', () => {
    expect(r.judgeLower).toBe(10);
    expect(r.judgeHigher).toBe(5);
    // mean(judge − human) = (5·(+1) + 10·(−1)) / 50 = −0.1
    expect(r.meanDifference).toBeCloseTo(-0.1, 12);
    expect(r.leniency).toBe('harsher');
  });
});

describe('computeAgreement, ordinal 1..3 with weighted kappas', () => {
  // Confusion (rows human 1,2,3; cols judge 1,2,3):
  //   [ 4, 1, 0 ]  row 5
  //   [ 1, 3, 1 ]  row 5
  //   [ 0, 2, 3 ]  row 5     n = 15
  //   cols 5, 6, 4
  // p_o = 10/15 = 2/3. Expected E_ij = row_i·col_j / 15 = col_j / 3: [5/3, 2, 4/3] in every row.
  // Unweighted: p_e = (5·5 + 5·6 + 5·4)/225 = 75/225 = 1/3; kappa = (2/3 − 1/3)/(2/3) = 0.5
  // Linear disagreement weights |i−j|/2: observed Σ w·O = 0.5·(1+1+1+2) + 1·(0+0) = 2.5
  //   expected Σ w·E = 0.5·(2+2+2+2) … computed cell by cell:
  //   off-by-one cells: (1,2) 2, (2,1) 5/3, (2,3) 4/3, (3,2) 2 → sum 7 → ×0.5 = 3.5
  //   off-by-two cells: (1,3) 4/3, (3,1) 5/3 → sum 3 → ×1 = 3
  //   Σ w·E = 6.5 → kappa_linear = 1 − 2.5/6.5 = 4/6.5 = 0.6153846153846154
  // Quadratic weights (|i−j|/2)²: observed = 0.25·5 + 1·0 = 1.25; expected = 0.25·7 + 1·3 = 4.75
  //   kappa_quadratic = 1 − 1.25/4.75 = 3.5/4.75 = 0.7368421052631579
  const r = computeAgreement(
    pairs([[1, 1, 4], [1, 2, 1], [2, 1, 1], [2, 2, 3], [2, 3, 1], [3, 2, 2], [3, 3, 3]]),
    [1, 2, 3],
  );
  it('matches the hand computation', () => {
    expect(r.confusion).toEqual([[4, 1, 0], [1, 3, 1], [0, 2, 3]]);
    expect(r.agreement).toBeCloseTo(2 / 3, 12);
    expect(r.kappa).toBeCloseTo(0.5, 12);
    expect(r.kappaLinear).toBeCloseTo(4 / 6.5, 12);
    expect(r.kappaQuadratic).toBeCloseTo(3.5 / 4.75, 12);
    expect(primaryKappa(r)).toBeCloseTo(3.5 / 4.75, 12);
  });
  it('counts direction of disagreements: judge higher 2 (1→2, 2→3), lower 3 (2→1, 3→2 twice)', () => {
    expect(r.judgeHigher).toBe(2);
    expect(r.judgeLower).toBe(3);
    expect(r.meanDifference).toBeCloseTo(-1 / 15, 12);
    expect(r.leniency).toBe('harsher');
  });
});

describe('computeAgreement, edge cases', () => {
  it('perfect agreement gives kappa 1', () => {
    const r = computeAgreement(pairs([[1, 1, 3], [5, 5, 2]]), [1, 2, 3, 4, 5]);
    expect(r.kappa).toBe(1);
    expect(r.kappaQuadratic).toBe(1);
    expect(r.leniency).toBe('balanced');
  });
  it('kappa is undefined (null) when both raters used a single category', () => {
    const r = computeAgreement(pairs([[1, 1, 4]]), [0, 1]);
    expect(r.agreement).toBe(1);
    expect(r.kappa).toBeNull();
  });
  it('systematic disagreement: judge always one point higher on 1..3 → negative kappa, more lenient', () => {
    // Confusion [[0,2,0],[0,0,2],[0,0,0]] n=4; rows 2,2,0; cols 0,2,2
    // p_o = 0; p_e = (2·0 + 2·2 + 0·2)/16 = 0.25; kappa = (0 − 0.25)/0.75 = −1/3
    const r = computeAgreement(pairs([[1, 2, 2], [2, 3, 2]]), [1, 2, 3]);
    expect(r.kappa).toBeCloseTo(-1 / 3, 12);
    expect(r.leniency).toBe('more lenient');
    expect(r.meanDifference).toBe(1);
  });
  it('rejects labels outside the categories', () => {
    expect(() => computeAgreement([{ human: 7, judge: 1 }], [1, 2])).toThrow(/not one of the categories/);
  });
  it('empty input has no kappa', () => {
    expect(computeAgreement([], [0, 1]).kappa).toBeNull();
  });
});
