import { TIERS } from '../router/types.js';
import { DAYS_PER_YEAR, type CostEstimate } from './estimate.js';
import { mul, rational, toFixed, toNumber, type Rational } from './rational.js';
import { roundPreservingSum } from './round-sum.js';

function groupThousands(fixed: string): string {
  const [whole = '0', frac] = fixed.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fixed.startsWith('-') ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** "$18,900.00" — rounded half away from zero to cents, once, here. */
export const usd = (r: Rational): string => (toFixed(r, 2).startsWith('-') ? `-$${groupThousands(toFixed(r, 2)).slice(1)}` : `$${groupThousands(toFixed(r, 2))}`);

/** A price per call keeps its precision ($0.0021), trailing zeros dropped. */
export const usdPrice = (r: Rational): string => `$${toFixed(r, 8).replace(/0+$/, '').replace(/\.$/, '')}`;

/** "about $16.1M" for big yearly figures. */
export function usdCompact(r: Rational): string {
  const v = Number(r.num) / Number(r.den);
  const a = Math.abs(v);
  for (const [div, unit] of [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (a >= div) return `$${(v / div).toFixed(1)}${unit}`;
  }
  return usd(r);
}

const HUNDRED = rational(100n);

export const percent = (r: Rational, digits = 1): string => `${toFixed(mul(r, HUNDRED), digits)}%`;
const count = (r: Rational): string => groupThousands(toFixed(r, 0));

/**
 * The additive columns of the tier table (share, calls/day, cost/day), each rounded so that it
 * adds up to the total shown for it (100%, "Calls per day", the routed cost per day).
 */
function tierColumns(e: CostEstimate, digits: { share: number; calls: number; cost: number }, shareUnit: Rational): { share: string[]; calls: string[]; cost: string[] } {
  return {
    share: roundPreservingSum(e.perTier.map((t) => mul(t.share, shareUnit)), digits.share),
    calls: roundPreservingSum(e.perTier.map((t) => t.calls), digits.calls),
    cost: roundPreservingSum(e.perTier.map((t) => t.costPerDay), digits.cost),
  };
}

export function formatCostEstimate(e: CostEstimate, callsPerDay: Rational): string {
  const col = tierColumns(e, { share: 1, calls: 0, cost: 2 }, HUNDRED);
  const rows = e.perTier.map((t, i) => [t.tier, `${col.share[i]!}%`, groupThousands(col.calls[i]!), usdPrice(t.pricePerCall), `$${groupThousands(col.cost[i]!)}`]);
  const table = [['tier', 'share', 'calls/day', 'price/call', 'cost/day'], ...rows];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const totals = [
    ['', 'per day', `per year (${DAYS_PER_YEAR} days)`],
    ['unrouted (all powerful)', usd(e.perDay.unrouted), usd(e.perYear.unrouted)],
    ['routed', usd(e.perDay.routed), usd(e.perYear.routed)],
    ['saving', usd(e.perDay.saving), usd(e.perYear.saving)],
  ];
  const tw = totals[0]!.map((_, c) => Math.max(...totals.map((r) => r[c]!.length)));
  const tline = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(tw[c]!) : cell.padStart(tw[c]!))).join('  ');
  return [
    `Calls per day: ${count(callsPerDay)}`,
    '',
    ...table.map(line),
    '',
    ...totals.map(tline),
    '',
    `Routing saves ${usd(e.perDay.saving)}/day (${percent(e.savingShare)}): ${usd(e.perDay.routed)}/day routed against ${usd(e.perDay.unrouted)}/day unrouted, about ${usdCompact(e.perYear.saving)} a year (${DAYS_PER_YEAR}-day year).`,
  ].join('\n');
}

export function costEstimateJson(e: CostEstimate, callsPerDay: Rational): unknown {
  const money = (r: Rational) => toNumber(r, 2);
  // Every column adds up to its total (shares to 1, calls to callsPerDay, cost to perDay.routed).
  const col = tierColumns(e, { share: 6, calls: 2, cost: 2 }, rational(1n));
  return {
    callsPerDay: toNumber(callsPerDay, 6),
    daysPerYear: DAYS_PER_YEAR,
    tiers: Object.fromEntries(TIERS.map((t) => {
      const i = e.perTier.findIndex((x) => x.tier === t);
      const row = e.perTier[i]!;
      return [t, { share: Number(col.share[i]!), callsPerDay: Number(col.calls[i]!), pricePerCall: toNumber(row.pricePerCall, 8), costPerDay: Number(col.cost[i]!) }];
    })),
    perDay: { unrouted: money(e.perDay.unrouted), routed: money(e.perDay.routed), saving: money(e.perDay.saving) },
    perYear: { unrouted: money(e.perYear.unrouted), routed: money(e.perYear.routed), saving: money(e.perYear.saving) },
    savingShare: toNumber(e.savingShare, 6),
  };
}
