import { describe, expect, it } from 'vitest';
import { proportionDiffMarginTest, quantileExceedanceTest, relativeMeanMarginTest } from '../../src/canary/tests.js';

// References computed independently with python3's stdlib (math.erfc for the normal tail,
// fractions.Fraction + math.comb for the exact binomial), as shown in each comment.
describe('canary statistical tests', () => {
  it('proportion difference beyond a margin (one-sided, score-type SE)', () => {
    // a1=3/202, p0=a1+0.02, se=sqrt(a1(1-a1)/202+p0(1-p0)/200), z=(0.1-0.01-0.02)/se → 4.512706257409228, p=0.5·erfc(z/√2)=3.200281988783071e-06
    const r = proportionDiffMarginTest(2, 200, 20, 200, 0.02, 'greater');
    expect(r.statistic).toBeCloseTo(4.512706257409228, 9);
    expect(r.pValue).toBeCloseTo(3.200281988783071e-06, 14);
  });

  it('non-inferiority within a margin', () => {
    // a1=11/1002, p0=a1+0.02, se=sqrt(a1(1-a1)/1002+p0(1-p0)/1000), z=(0.012-0.01-0.02)/se = -2.816137357316322, p=Φ(z)=0.002430244056445267
    const r = proportionDiffMarginTest(10, 1000, 12, 1000, 0.02, 'less');
    expect(r.statistic).toBeCloseTo(-2.816137357316322, 9);
    expect(r.pValue).toBeCloseTo(0.002430244056445267, 12);
  });

  it('stays finite at 0% and 100%', () => {
    const r = proportionDiffMarginTest(0, 50, 50, 50, 0.02, 'greater');
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(1e-10);
    const same = proportionDiffMarginTest(0, 50, 0, 50, 0.02, 'greater');
    expect(same.pValue).toBeGreaterThan(0.5);
  });

  it('relative mean drop and its mirror non-inferiority test', () => {
    // d = 0.7 - 0.95·0.8, se = sqrt(0.09/80 + 0.95²·0.04/100), z = -1.55647391123, Φ(z)=0.0597977208296
    const g1 = { n: 100, mean: 0.8, variance: 0.04 };
    const g2 = { n: 80, mean: 0.7, variance: 0.09 };
    const drop = relativeMeanMarginTest(g1, g2, 0.05, 'less');
    expect(drop.statistic).toBeCloseTo(-1.55647391123, 9);
    expect(drop.pValue).toBeCloseTo(0.0597977208296, 10);
    expect(relativeMeanMarginTest(g1, g2, 0.05, 'greater').pValue).toBeCloseTo(0.9402022791704, 10);
  });

  it('zero variance decides by the sign of the difference', () => {
    const one = { n: 40, mean: 1, variance: 0 };
    const low = { n: 40, mean: 0.5, variance: 0 };
    expect(relativeMeanMarginTest(one, low, 0.05, 'less').pValue).toBe(0);
    expect(relativeMeanMarginTest(one, one, 0.05, 'less').pValue).toBe(1);
    expect(relativeMeanMarginTest(one, one, 0.05, 'greater').pValue).toBe(0);
  });

  it('quantile exceedance is the exact binomial upper tail', () => {
    // sum_{i=12}^{100} C(100,i) 0.05^i 0.95^(100-i) = 0.004274182466365913 (exact Fractions)
    expect(quantileExceedanceTest(12, 100, 0.95).pValue).toBeCloseTo(0.004274182466365913, 12);
    expect(quantileExceedanceTest(0, 100, 0.95).pValue).toBe(1);
  });
});
