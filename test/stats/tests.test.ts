import { describe, expect, it } from 'vitest';
import {
  chiSquareGoodnessOfFit, fisherExact, holmAdjust, mannWhitneyU, mcnemarExact, moments, msprtLikelihoodRatio, msprtPValue, MsprtMonitor,
  oneSampleTTest, percentile, percentileNearestRank, proportionDiffVariance, twoProportionZTest, welchTTest, wilsonInterval,
} from '../../src/stats/index.js';

// References from python3 stdlib (fractions for exact tests, statistics for moments) — see each case.
const close = (actual: number, expected: number, rel = 1e-10) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));

describe('Wilson interval', () => {
  it('matches the closed form (Wilson 1927) computed in python', () => {
    const [lo, hi] = wilsonInterval(81, 263);
    close(lo, 0.2552885198782743, 1e-12);
    close(hi, 0.3662095769828001, 1e-12);
  });
  it('edges: zero and all successes stay inside [0, 1] and are not degenerate', () => {
    const [lo0, hi0] = wilsonInterval(0, 20);
    expect(lo0).toBe(0);
    close(hi0, 0.1611251580528193, 1e-12);
    const [lo1, hi1] = wilsonInterval(20, 20);
    close(lo1, 0.8388748419471808, 1e-12);
    expect(hi1).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

describe('percentiles', () => {
  const s = Float64Array.from([1, 2, 3, 4, 10]);
  it('linear interpolation (numpy default, type 7)', () => {
    expect(percentile(s, 0.5)).toBe(3);
    expect(percentile(s, 0.9)).toBeCloseTo(7.6, 12); // h = 3.6 → 4 + 0.6·6
    expect(percentile(s, 0.25)).toBe(2);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 1)).toBe(10);
    expect(percentile([], 0.5)).toBeNaN();
    expect(percentile([7], 0.99)).toBe(7);
  });
  it('nearest rank', () => {
    expect(percentileNearestRank(s, 0.5)).toBe(3);
    expect(percentileNearestRank(s, 0.9)).toBe(10);
    expect(percentileNearestRank(s, 0.8)).toBe(4);
    expect(percentileNearestRank(s, 0)).toBe(1);
    expect(percentileNearestRank(Float64Array.from([5, 5, 5]), 0.99)).toBe(5); // ties
  });
});

describe('McNemar exact', () => {
  it('matches exact binomial sums with p = 1/2', () => {
    const r = mcnemarExact(2, 10);
    close(r.pValue, 0.03857421875, 1e-11); // 2·Σ_{i≤2} C(12,i)/2^12
    close(r.pRegression, 0.019287109375, 1e-11); // Σ_{i≥10} C(12,i)/2^12
  });
  it('zero flips, all flips one way, balanced flips', () => {
    expect(mcnemarExact(0, 0)).toMatchObject({ pValue: 1, pRegression: 1 });
    close(mcnemarExact(0, 30).pValue, 1.862645149230957e-9, 1e-9); // 2/2^30
    close(mcnemarExact(0, 30).pRegression, 9.313225746154785e-10, 1e-9);
    expect(mcnemarExact(5, 5).pValue).toBe(1);
    close(mcnemarExact(0, 1).pValue, 1, 1e-12); // 2·P(X ≤ 0 | n = 1) = 1
    expect(mcnemarExact(30, 0).pRegression).toBe(1);
  });
});

describe('Fisher exact and two-proportion z', () => {
  it('tea tasting and a 2×2 with one-sided alternatives (Fraction sums)', () => {
    close(fisherExact(3, 1, 1, 3).pValue, 0.4857142857142857, 1e-12);
    close(fisherExact(8, 2, 1, 5).pValue, 0.03496503496503497, 1e-11);
    close(fisherExact(8, 2, 1, 5, 'less').pValue, 0.9991258741258742, 1e-11);
    close(fisherExact(8, 2, 1, 5, 'greater').pValue, 0.024475524475524476, 1e-11);
    close(fisherExact(0, 10, 10, 0).pValue, 1.082508822446903e-5, 1e-10);
    expect(fisherExact(8, 2, 1, 5).oddsRatio).toBe(20);
  });
  it('z test: hand computation with the pooled SE', () => {
    // p1 = 0.5 (500/1000), p2 = 0.55 (550/1000), pooled 0.525, se = √(0.525·0.475·0.002) = 0.022332711…
    const r = twoProportionZTest(500, 1000, 550, 1000);
    close(r.z, 0.05 / Math.sqrt(0.525 * 0.475 * 0.002), 1e-12);
    close(r.z, 2.238868314198225, 1e-9); // python: 0.05/math.sqrt(0.525*0.475*0.002)
    close(r.pValue, 0.025165, 1e-3); // 2·(1 − Φ(2.2389)) ≈ 0.025165 (NormalDist)
    close(twoProportionZTest(500, 1000, 550, 1000, 'greater').pValue, r.pValue / 2, 1e-12);
    expect(twoProportionZTest(0, 10, 0, 10).pValue).toBe(1);
  });
});

describe('t-tests', () => {
  const a = [19.7, 21.4, 22.5, 18.9, 20.1, 23.0];
  const b = [25.1, 22.8, 24.6, 26.0, 23.3, 27.9, 24.1];
  it('Welch matches statistics.mean/variance + Simpson-integrated t CDF', () => {
    const r = welchTTest(a, b);
    close(r.t, 4.176993745211181, 1e-12);
    close(r.df, 10.867468125924422, 1e-12);
    close(r.pValue, 0.0015850385442015558, 1e-7);
    close(welchTTest(a, b, 'greater').pValue, r.pValue / 2, 1e-9);
  });
  it('moments use the n − 1 variance', () => {
    const m = moments([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(m.mean).toBe(5);
    close(m.variance, 32 / 7, 1e-13);
  });
  it('one-sample t: zero variance is decided by the mean', () => {
    expect(oneSampleTTest({ n: 5, mean: 1, variance: 0 }, 0.9, 'less').pValue).toBe(1);
    expect(oneSampleTTest({ n: 5, mean: 0.8, variance: 0 }, 0.9, 'less').pValue).toBe(0);
  });
});

describe('Mann-Whitney U', () => {
  const x = [1.1, 2.2, 2.2, 3.5, 4.0, 5.1, 6.3];
  const y = [2.2, 3.0, 4.0, 4.0, 7.2, 8.1, 9.0, 9.5];
  it('with ties matches the tie-corrected normal approximation computed in python', () => {
    const r = mannWhitneyU(x, y);
    expect(r.u).toBe(14);
    close(r.pValue, 0.11557952208155697, 1e-10);
    close(mannWhitneyU(x, y, 'less').pValue, 0.05778976104077849, 1e-10);
  });
  it('all values tied → p = 1', () => {
    expect(mannWhitneyU([3, 3, 3], [3, 3]).pValue).toBe(1);
  });
});

describe('chi-square goodness of fit', () => {
  it('sample-ratio mismatch checks', () => {
    const r = chiSquareGoodnessOfFit([5050, 4950], [1, 1]);
    close(r.statistic, 1, 1e-12);
    close(r.pValue, 0.31731050786291404, 1e-11); // erfc(√0.5)
    const r3 = chiSquareGoodnessOfFit([310, 180, 510], [0.3, 0.2, 0.5]);
    close(r3.statistic, 2.5333333333333337, 1e-12);
    close(r3.pValue, 0.2817692890949583, 1e-11); // df 2: exp(−x/2)
    expect(chiSquareGoodnessOfFit([1, 0], [1, 0]).pValue).toBe(1);
    expect(chiSquareGoodnessOfFit([1, 1], [1, 0]).pValue).toBe(0);
  });
});

describe('Holm', () => {
  it('step-down adjustment by hand', () => {
    // sorted 0.005, 0.01, 0.03, 0.04 → 4·0.005, 3·0.01, 2·0.03, max(1·0.04, 0.06)
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => close(adj[i]!, v, 1e-12));
    expect(holmAdjust([])).toEqual([]);
    expect(holmAdjust([0.9, 0.8])).toEqual([1, 1]); // 2·0.8 caps at 1; step-down keeps it monotone
    expect(holmAdjust([0.2, 0.01])).toEqual([0.2, 0.02]);
  });
});

describe('mSPRT', () => {
  it('likelihood ratio matches the closed form evaluated in python', () => {
    close(msprtLikelihoodRatio(0.05, 0.0004, 0.0001), 1.671009983803051, 1e-12);
    expect(msprtLikelihoodRatio(0, 0.0004, 0.0001)).toBeLessThan(1);
  });
  it('p-value is the running minimum of 1/Λ, never increasing', () => {
    const m = new MsprtMonitor(0.0001);
    const p1 = m.update({ diff: 0.05, variance: 0.0004 });
    close(p1, 0.5984404699510534, 1e-12);
    const p2 = m.update({ diff: 0, variance: 0.0001 });
    expect(p2).toBe(p1);
    const p3 = m.update({ diff: 0.05, variance: 0.00001 });
    expect(p3).toBeLessThan(0.01);
    expect(msprtPValue([{ diff: 0.05, variance: 0.0004 }], 0.0001)).toBe(p1);
    close(proportionDiffVariance(50, 100, 30, 100), 0.0025 + 0.0021, 1e-12);
  });
});
