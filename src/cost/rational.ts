/**
 * Exact rational arithmetic on bigints, so money totals carry no float drift
 * (0.002 × 3,000,000 is exactly 6,000) and rounding happens once, at display.
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

const abs = (a: bigint) => (a < 0n ? -a : a);
function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a), y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError('division by zero');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den);
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export const ZERO = rational(0n);
export const ONE = rational(1n);

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$|^([+-]?)\.(\d+)(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal literal exactly ("0.002", "3000000", "3e6", "1_000"); null when it is not one. */
export function parseDecimal(text: string): Rational | null {
  const m = DECIMAL.exec(text.trim().replace(/_/g, ''));
  if (!m) return null;
  const sign = (m[1] ?? m[5]) === '-' ? -1n : 1n;
  const intPart = m[2] ?? '0';
  const frac = m[3] ?? m[6] ?? '';
  const exp = Number(m[4] ?? m[7] ?? '0');
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return null;
  let num = sign * BigInt(intPart + frac);
  let den = 10n ** BigInt(frac.length);
  if (exp > 0) num *= 10n ** BigInt(exp);
  if (exp < 0) den *= 10n ** BigInt(-exp);
  return rational(num, den);
}

/** A JS number as the decimal it prints as (prices read from YAML). */
export function fromNumber(n: number): Rational {
  const r = parseDecimal(String(n));
  if (!r) throw new RangeError(`not a finite number: ${n}`);
  return r;
}

export const add = (a: Rational, b: Rational) => rational(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Rational, b: Rational) => rational(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Rational, b: Rational) => rational(a.num * b.num, a.den * b.den);
export const div = (a: Rational, b: Rational) => rational(a.num * b.den, a.den * b.num);
export const cmp = (a: Rational, b: Rational) => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
export const isZero = (a: Rational) => a.num === 0n;

/** Rounds half away from zero to `digits` decimals; returns the exact decimal string. */
export function toFixed(a: Rational, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const neg = a.num < 0n;
  const n = abs(a.num) * scale;
  let q = n / a.den;
  if ((n % a.den) * 2n >= a.den) q += 1n;
  const s = q.toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? s : s.slice(0, -digits);
  const frac = digits === 0 ? '' : `.${s.slice(-digits)}`;
  return `${neg && q !== 0n ? '-' : ''}${whole}${frac}`;
}

/** Rounded to `digits` decimals, as a number (for JSON output). */
export const toNumber = (a: Rational, digits: number): number => Number(toFixed(a, digits));
