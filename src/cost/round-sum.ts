import { add, cmp, rational, sub, toFixed, ZERO, type Rational } from './rational.js';

/**
 * Rounds non-negative parts to `digits` decimals so that the rounded parts add up to their
 * rounded total (largest remainder method): each part is rounded down, then the units still
 * missing go one each to the parts with the largest remainders (ties: the earlier part). Used
 * for table columns printed above a total: 428.57 + 285.71 + 285.71 shows as 429 + 286 + 285
 * under 1,000, not 429 + 286 + 286. Returns exact decimal strings, like `toFixed`.
 */
export function roundPreservingSum(parts: readonly Rational[], digits: number): string[] {
  const scale = 10n ** BigInt(digits);
  const units: bigint[] = [];
  const remainders: Rational[] = [];
  let total = ZERO;
  for (const p of parts) {
    if (p.num < 0n) throw new RangeError('roundPreservingSum takes non-negative parts');
    const u = (p.num * scale) / p.den;
    units.push(u);
    remainders.push(sub(rational(p.num * scale, p.den), rational(u)));
    total = add(total, p);
  }
  let missing = BigInt(toFixed(total, digits).replace('.', '')) - units.reduce((s, u) => s + u, 0n);
  const order = parts.map((_, i) => i).sort((a, b) => cmp(remainders[b]!, remainders[a]!) || a - b);
  for (const i of order) {
    if (missing <= 0n) break;
    units[i]! += 1n;
    missing -= 1n;
  }
  return units.map((u) => toFixed(rational(u, scale), digits));
}
