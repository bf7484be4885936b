import { describe, expect, it } from 'vitest';
import { DAYS_PER_YEAR, estimateCost, mixFromCounts, mixIssues } from '../../src/cost/estimate.js';
import { parseMix, parseTierValues, parseTokensPerCall, pricesFromModels } from '../../src/cost/flags.js';
import { formatCostEstimate, usd, usdCompact } from '../../src/cost/format.js';
import { parseDecimal, rational, toFixed, type Rational } from '../../src/cost/rational.js';
import { ModelSpecSchema } from '../../src/config/schema.js';
import { UsageError } from '../../src/errors.js';

const d = (s: string): Rational => parseDecimal(s)!;

describe('cost estimate (issue 7 figures, computed, not repeated)', () => {
  // By hand: unrouted 3,000,000 × 0.021 = 63,000; routed 3e6 × (0.7×0.002 + 0.1×0.007 + 0.2×0.021)
  // = 3e6 × (0.0014 + 0.0007 + 0.0042) = 3e6 × 0.0063 = 18,900; saving 44,100 = 70% of 63,000;
  // a 365-day year: 44,100 × 365 = 16,096,500. (The design note's $21,840/day and 65% are wrong.)
  const e = estimateCost({
    callsPerDay: d('3000000'),
    mix: parseMix('fast=0.7,mid=0.1,powerful=0.2'),
    pricePerCall: parseTierValues('--price-per-call', 'fast=0.002,mid=0.007,powerful=0.021', { requireAll: true }),
  });

  it('per day, exactly', () => {
    expect(e.perDay.unrouted).toEqual(rational(63_000n));
    expect(e.perDay.routed).toEqual(rational(18_900n));
    expect(e.perDay.saving).toEqual(rational(44_100n));
    expect(e.savingShare).toEqual(rational(7n, 10n));
    expect(e.perTier.map((t) => toFixed(t.costPerDay, 2))).toEqual(['4200.00', '2100.00', '12600.00']);
  });

  it('per 365-day year', () => {
    expect(DAYS_PER_YEAR).toBe(365);
    expect(e.perYear.saving).toEqual(rational(16_096_500n));
    expect(e.perYear.routed).toEqual(rational(6_898_500n));
    expect(e.perYear.unrouted).toEqual(rational(22_995_000n));
    expect(usdCompact(e.perYear.saving)).toBe('$16.1M');
  });

  it('formats money with thousands separators, rounded once at display', () => {
    expect(usd(e.perDay.routed)).toBe('$18,900.00');
    expect(usd(d('1234567.005'))).toBe('$1,234,567.01');
    expect(usd(d('-44100'))).toBe('-$44,100.00');
    const text = formatCostEstimate(e, d('3000000'));
    expect(text).toContain('Routing saves $44,100.00/day (70.0%): $18,900.00/day routed against $63,000.00/day unrouted, about $16.1M a year (365-day year).');
  });

  it('mixes from counts are exact fractions', () => {
    expect(mixFromCounts({ fast: 7, mid: 1, powerful: 2 })).toEqual({ fast: rational(7n, 10n), mid: rational(1n, 10n), powerful: rational(1n, 5n) });
    expect(() => mixFromCounts({ fast: 0, mid: 0, powerful: 0 })).toThrow();
  });

  it('a mix must be non-negative and sum to exactly 1', () => {
    expect(mixIssues({ fast: d('0.7'), mid: d('0.1'), powerful: d('0.2') })).toEqual([]);
    expect(mixIssues({ fast: d('0.7'), mid: d('0.1'), powerful: d('0.1') })).toEqual(['shares must sum to 1 (they sum to 0.9)']);
    expect(() => parseMix('fast=0.7,mid=0.1')).toThrow(UsageError);
    expect(parseMix('fast=0.5,powerful=0.5').mid).toEqual(rational(0n));
  });

  it('flag errors list every problem', () => {
    expect(() => parseTierValues('--price-per-call', 'fast=x,slow=1,mid', { requireAll: true })).toThrow(
      '--price-per-call: fast=x: not a non-negative number; unknown tier "slow" (tiers: fast, mid, powerful); "mid" is not tier=value; missing fast=…; missing mid=…; missing powerful=…',
    );
    expect(() => parseTokensPerCall('input=5')).toThrow(/give both input=N and output=N/);
  });

  it('prices per call from per-1M-token model prices', () => {
    const spec = (input: number, output: number) => ModelSpecSchema.parse({ provider: 'sim', model: 'x', price: { input, output } });
    const prices = pricesFromModels({ fast: 'a', mid: 'a', powerful: 'b' }, { a: spec(0.15, 0.6), b: spec(2.5, 10) }, parseTokensPerCall('input=800,output=300'), 'llmops.yaml');
    // (800 × 0.15 + 300 × 0.6) / 1e6 = 0.0003; (800 × 2.5 + 300 × 10) / 1e6 = 0.005.
    expect(prices.fast).toEqual(d('0.0003'));
    expect(prices.powerful).toEqual(d('0.005'));
    expect(() => pricesFromModels({ fast: 'a', mid: 'zz', powerful: 'b' }, { a: spec(1, 1), b: ModelSpecSchema.parse({ provider: 'sim', model: 'y' }) }, parseTokensPerCall('input=1,output=1'), 'llmops.yaml')).toThrow(
      '--models: mid: no model "zz" under models: in llmops.yaml; powerful: model "b" has no price: {input, output} in llmops.yaml',
    );
  });
});
