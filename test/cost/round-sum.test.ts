import { describe, expect, it } from 'vitest';
import { add, parseDecimal, rational, toFixed, type Rational } from '../../src/cost/rational.js';
import { roundPreservingSum } from '../../src/cost/round-sum.js';

const d = (s: string): Rational => parseDecimal(s)!;
const sum = (xs: string[]) => xs.reduce((s, x) => s + Number(x), 0);

describe('roundPreservingSum (largest remainder)', () => {
  it('3/7, 2/7, 2/7 of 1,000 calls show as 428 + 286 + 286 = 1,000, not 429 + 286 + 286', () => {
    const parts = [rational(3000n, 7n), rational(2000n, 7n), rational(2000n, 7n)];
    expect(parts.map((p) => toFixed(p, 0))).toEqual(['429', '286', '286']); // what rounding each gave: 1,001
    // Floors 428 + 285 + 285 = 998; the two missing units go to the largest remainders (.714 > .571).
    expect(roundPreservingSum(parts, 0)).toEqual(['428', '286', '286']);
    // Two decimals: 428.57 + 285.71 + 285.71 = 999.99; the cent goes to the first of the tied remainders.
    expect(roundPreservingSum(parts, 2)).toEqual(['428.57', '285.72', '285.71']);
  });

  it('leaves parts that already add up alone, and always adds up to the rounded total', () => {
    expect(roundPreservingSum([d('2100000'), d('300000'), d('600000')], 0)).toEqual(['2100000', '300000', '600000']);
    expect(roundPreservingSum([d('4200'), d('2100'), d('12600')], 2)).toEqual(['4200.00', '2100.00', '12600.00']);
    expect(roundPreservingSum([d('33.3333'), d('33.3333'), d('33.3334')], 1)).toEqual(['33.3', '33.3', '33.4']);
    expect(roundPreservingSum([d('0.4'), d('0.4'), d('0.4')], 0)).toEqual(['1', '0', '0']); // total 1.2 → 1
    for (let n = 1; n <= 50; n++) {
      const parts = [rational(BigInt(n), 3n), rational(BigInt(n) * 5n, 11n), rational(BigInt(n) * 7n, 13n)];
      const total = parts.reduce((s, p) => add(s, p));
      for (const digits of [0, 1, 2]) expect(sum(roundPreservingSum(parts, digits))).toBeCloseTo(Number(toFixed(total, digits)), 9);
    }
    expect(() => roundPreservingSum([d('-1')], 0)).toThrow(RangeError);
  });
});
