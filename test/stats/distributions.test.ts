import { describe, expect, it } from 'vitest';
import {
  betaInc, binomialCdf, binomialPmf, binomialSf, binomialTest, chiSquareCdf, chiSquareSf, logGamma, normalCdf, normalQuantile, normalSf, studentTCdf,
} from '../../src/stats/index.js';

// References computed with python3's stdlib (math.erfc, math.lgamma, statistics.NormalDist,
// fractions.Fraction for exact binomial sums), or closed forms noted per case.
const close = (actual: number, expected: number, rel = 1e-10) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));

describe('normal distribution', () => {
  it('CDF matches NormalDist().cdf and 0.5·erfc in the far tail', () => {
    close(normalCdf(1.96), 0.9750021048517796); // NormalDist().cdf(1.96)
    close(normalCdf(-3), 0.0013498980316301035);
    close(normalCdf(0.5), 0.6914624612740131);
    close(normalCdf(-8), 6.220960574271819e-16, 1e-8); // 0.5*math.erfc(8/sqrt(2))
    close(normalSf(8), 6.220960574271819e-16, 1e-8);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
  });
  it('quantile matches NormalDist().inv_cdf and round-trips', () => {
    close(normalQuantile(0.975), 1.9599639845400536, 1e-13);
    close(normalQuantile(0.001), -3.090232306167813, 1e-12);
    close(normalQuantile(1e-10), -6.361340902404056, 1e-10);
    close(normalQuantile(0.6), 0.2533471031357998, 1e-12);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 14);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    for (const p of [1e-6, 0.01, 0.3, 0.77, 0.999999]) close(normalCdf(normalQuantile(p)), p, 1e-12);
  });
});

describe('special functions', () => {
  it('log-gamma matches math.lgamma', () => {
    close(logGamma(0.5), 0.5723649429247004, 1e-13); // = ln √π
    close(logGamma(10.3), 13.48203678613836, 1e-13);
    close(logGamma(1000.5), 5908.674175848678, 1e-13);
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
  });
  it('incomplete beta: edges and symmetry I_x(a,b) = 1 − I_{1−x}(b,a)', () => {
    expect(betaInc(2, 3, 0)).toBe(0);
    expect(betaInc(2, 3, 1)).toBe(1);
    close(betaInc(1, 1, 0.37), 0.37, 1e-13); // uniform
    close(betaInc(2, 3, 0.4), 0.5248, 1e-12); // by hand: 1 − Σ_{j<2} C(4,j)0.4^j 0.6^{4−j} = 1 − 0.1296 − 0.3456
    close(betaInc(3.5, 1.25, 0.8) + betaInc(1.25, 3.5, 0.2), 1, 1e-13);
  });
});

describe('Student t', () => {
  it('matches closed forms for df 1, 2, 3', () => {
    close(studentTCdf(2, 1), 0.8524163823495667, 1e-12); // Cauchy: 1/2 + atan(2)/π
    close(studentTCdf(1.5, 2), 0.8638034375544994, 1e-12); // 1/2 + t/(2√(2+t²))
    close(studentTCdf(-1.2, 3), 0.15813105734905258, 1e-12); // 1/2 + (atan x + x/(1+x²))/π, x = t/√3
    expect(studentTCdf(0, 5)).toBe(0.5);
  });
  it('fractional df matches Simpson integration of the density (python, 200k panels)', () => {
    close(studentTCdf(2.1, 7.5), 0.9643814642709627, 1e-9);
    close(studentTCdf(-0.7, 13.3), 0.24799496506956836, 1e-9);
  });
  it('large df tends to the normal', () => {
    close(studentTCdf(1.96, 1e7), normalCdf(1.96), 1e-6);
  });
});

describe('chi-square', () => {
  it('matches closed forms', () => {
    close(chiSquareSf(5.991464547107979, 2), 0.05, 1e-12); // df 2: exp(−x/2)
    close(chiSquareSf(3.84, 1), 0.05004352124870509, 1e-12); // df 1: erfc(√(x/2))
    close(chiSquareSf(9, 4), 0.061099480960332686, 1e-12); // df 4: exp(−x/2)(1 + x/2)
    close(chiSquareCdf(9, 4), 1 - 0.061099480960332686, 1e-12);
    expect(chiSquareSf(0, 3)).toBe(1);
  });
});

describe('binomial', () => {
  it('exact tails match Fraction sums', () => {
    close(binomialCdf(3, 20, 0.3), 0.107086804503731, 1e-11);
    close(binomialCdf(30, 100, 0.5), 3.925069822796835e-5, 1e-10);
    close(binomialSf(60, 100, 0.5), 0.02844396682049044, 1e-10);
    close(binomialCdf(4900, 10000, 0.5), 0.023292763852473693, 1e-8);
    close(binomialPmf(2, 4, 0.5), 0.375, 1e-13);
  });
  it('edges', () => {
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
    expect(binomialSf(0, 10, 0.3)).toBe(1);
    expect(binomialSf(11, 10, 0.3)).toBe(0);
    expect(binomialPmf(0, 5, 0)).toBe(1);
    expect(binomialPmf(5, 5, 1)).toBe(1);
  });
  it('two-sided test sums outcomes no more likely than observed (binom.test)', () => {
    close(binomialTest(3, 20, 0.3), 0.2204182673807094, 1e-10);
    close(binomialTest(7, 10, 0.5), 0.34375, 1e-12); // 2·(1+10+45+120)/1024
    close(binomialTest(2, 15, 0.25), 0.3844558885321021, 1e-10);
    close(binomialTest(3, 20, 0.3, 'less'), 0.107086804503731, 1e-11);
  });
});
