import { TIERS, type Tier } from '../router/types.js';
import { add, cmp, div, isZero, mul, rational, sub, ZERO, type Rational } from './rational.js';

/** A year is 365 days in every yearly figure (no leap days). */
export const DAYS_PER_YEAR = 365;

export interface CostInput {
  callsPerDay: Rational;
  /** Share of calls per tier; must sum to 1. */
  mix: Record<Tier, Rational>;
  /** USD per call per tier. */
  pricePerCall: Record<Tier, Rational>;
}

export interface CostEstimate {
  perTier: Array<{ tier: Tier; share: Rational; calls: Rational; pricePerCall: Rational; costPerDay: Rational }>;
  perDay: { unrouted: Rational; routed: Rational; saving: Rational };
  perYear: { unrouted: Rational; routed: Rational; saving: Rational };
  /** saving / unrouted (0 when unrouted costs nothing). */
  savingShare: Rational;
}

/**
 * Daily and yearly cost with routing (the tier mix) and without it (every call on the powerful
 * tier). Exact: every figure is a rational; callers round at display.
 */
export function estimateCost(input: CostInput): CostEstimate {
  const perTier = TIERS.map((tier) => {
    const calls = mul(input.callsPerDay, input.mix[tier]);
    return { tier, share: input.mix[tier], calls, pricePerCall: input.pricePerCall[tier], costPerDay: mul(calls, input.pricePerCall[tier]) };
  });
  const routed = perTier.reduce((s, t) => add(s, t.costPerDay), ZERO);
  const unrouted = mul(input.callsPerDay, input.pricePerCall.powerful);
  const saving = sub(unrouted, routed);
  const year = rational(BigInt(DAYS_PER_YEAR));
  return {
    perTier,
    perDay: { unrouted, routed, saving },
    perYear: { unrouted: mul(unrouted, year), routed: mul(routed, year), saving: mul(saving, year) },
    savingShare: isZero(unrouted) ? ZERO : div(saving, unrouted),
  };
}

/** Problems with a tier mix (shares negative or not summing to 1), as messages. */
export function mixIssues(mix: Record<Tier, Rational>): string[] {
  const issues: string[] = [];
  for (const t of TIERS) if (cmp(mix[t], ZERO) < 0) issues.push(`share of ${t} is negative`);
  const sum = TIERS.reduce((s, t) => add(s, mix[t]), ZERO);
  if (cmp(sum, rational(1n)) !== 0) issues.push(`shares must sum to 1 (they sum to ${(Number(sum.num) / Number(sum.den)).toString()})`);
  return issues;
}

/** A mix from counts per tier (e.g. requests the gateway actually routed). */
export function mixFromCounts(counts: Record<Tier, number>): Record<Tier, Rational> {
  const total = BigInt(counts.fast + counts.mid + counts.powerful);
  if (total === 0n) throw new RangeError('no calls to take a mix from');
  return { fast: rational(BigInt(counts.fast), total), mid: rational(BigInt(counts.mid), total), powerful: rational(BigInt(counts.powerful), total) };
}
