import { describe, expect, it } from 'vitest';
import { add, div, fromNumber, mul, parseDecimal, rational, sub, toFixed } from '../../src/cost/rational.js';

const d = (s: string) => {
  const r = parseDecimal(s);
  if (r === null) throw new Error(`not a decimal: ${s}`);
  return r;
};

describe('exact rationals for money', () => {
  it('parses decimals exactly', () => {
    expect(d('0.002')).toEqual(rational(1n, 500n));
    expect(d('3000000')).toEqual(rational(3_000_000n));
    expect(d('3e6')).toEqual(rational(3_000_000n));
    expect(d('2.5E-3')).toEqual(rational(1n, 400n));
    expect(d('.5')).toEqual(rational(1n, 2n));
    expect(d('1_000')).toEqual(rational(1000n));
    expect(d('-0.25')).toEqual(rational(-1n, 4n));
    for (const bad of ['', 'abc', '1,000', '0x10', '1.2.3', 'NaN', 'Infinity']) expect(parseDecimal(bad), bad).toBeNull();
  });

  it('has no float drift where floats drift', () => {
    // In floats: 0.1 + 0.2 = 0.30000000000000004 and 0.07 * 3e6 = 210000.00000000003.
    expect(add(d('0.1'), d('0.2'))).toEqual(d('0.3'));
    expect(mul(d('0.07'), d('3e6'))).toEqual(rational(210_000n));
    expect(sub(mul(d('3e6'), d('0.021')), rational(18_900n))).toEqual(rational(44_100n));
  });

  it('rounds half away from zero only at display', () => {
    expect(toFixed(d('2.345'), 2)).toBe('2.35');
    expect(toFixed(d('2.344999'), 2)).toBe('2.34');
    expect(toFixed(d('-2.345'), 2)).toBe('-2.35');
    expect(toFixed(div(rational(1n), rational(3n)), 4)).toBe('0.3333');
    expect(toFixed(div(rational(2n), rational(3n)), 0)).toBe('1');
    expect(toFixed(d('0.004'), 2)).toBe('0.00');
    expect(toFixed(d('-0.004'), 2)).toBe('0.00');
    expect(toFixed(rational(16_096_500n), 2)).toBe('16096500.00');
  });

  it('reads JS numbers from YAML as the decimals they print as', () => {
    expect(fromNumber(0.15)).toEqual(d('0.15'));
    expect(fromNumber(2.5)).toEqual(rational(5n, 2n));
    expect(() => fromNumber(Number.NaN)).toThrow();
  });
});
