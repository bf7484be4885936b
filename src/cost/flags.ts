import { UsageError } from '../errors.js';
import type { ModelSpec } from '../config/schema.js';
import { TIERS, isTier, type Tier } from '../router/types.js';
import { add, cmp, div, fromNumber, mul, parseDecimal, rational, ZERO, type Rational } from './rational.js';
import { mixIssues } from './estimate.js';

/** The example each flag's error hint shows: shares for --mix, USD for --price-per-call. */
export const MIX_EXAMPLE = 'fast=0.7,mid=0.1,powerful=0.2';
export const PRICE_PER_CALL_EXAMPLE = 'fast=0.002,mid=0.007,powerful=0.021';

/**
 * Parses "fast=0.7,mid=0.1,powerful=0.2" into exact values; every problem is reported at once,
 * with `opts.example` (values that make sense for this flag) as the hint.
 */
export function parseTierValues(flag: string, text: string, opts: { requireAll: boolean; example?: string }): Record<Tier, Rational> {
  const out: Partial<Record<Tier, Rational>> = {};
  const problems: string[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, value, ...rest] = part.split('=');
    if (key === undefined || value === undefined || rest.length > 0) problems.push(`"${part}" is not tier=value`);
    else if (!isTier(key.trim())) problems.push(`unknown tier "${key.trim()}" (tiers: ${TIERS.join(', ')})`);
    else if (out[key.trim() as Tier] !== undefined) problems.push(`tier ${key.trim()} given twice`);
    else {
      const r = parseDecimal(value);
      if (r === null || cmp(r, ZERO) < 0) problems.push(`${key.trim()}=${value}: not a non-negative number`);
      else out[key.trim() as Tier] = r;
    }
  }
  for (const t of TIERS) if (out[t] === undefined && opts.requireAll) problems.push(`missing ${t}=…`);
  if (problems.length > 0) throw new UsageError(`${flag}: ${problems.join('; ')}`, `e.g. ${flag} ${opts.example ?? 'fast=…,mid=…,powerful=…'}`);
  return { fast: out.fast ?? ZERO, mid: out.mid ?? ZERO, powerful: out.powerful ?? ZERO };
}

export function parseMix(text: string): Record<Tier, Rational> {
  const mix = parseTierValues('--mix', text, { requireAll: false, example: MIX_EXAMPLE });
  const issues = mixIssues(mix);
  if (issues.length > 0) throw new UsageError(`--mix: ${issues.join('; ')}`, `Give each tier its share of calls, e.g. --mix ${MIX_EXAMPLE}`);
  return mix;
}

/** `--price-per-call fast=0.002,mid=0.007,powerful=0.021`: USD per call, every tier required. */
export function parsePricePerCall(text: string): Record<Tier, Rational> {
  return parseTierValues('--price-per-call', text, { requireAll: true, example: PRICE_PER_CALL_EXAMPLE });
}

export function parseCallsPerDay(text: string): Rational {
  const r = parseDecimal(text);
  if (r === null || cmp(r, ZERO) < 0) throw new UsageError(`--calls-per-day: "${text}" is not a non-negative number`, 'e.g. --calls-per-day 3000000');
  return r;
}

/** "input=800,output=300" → tokens per call. */
export function parseTokensPerCall(text: string): { input: Rational; output: Rational } {
  const found: Record<string, Rational> = {};
  const problems: string[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split('=');
    const r = v === undefined ? null : parseDecimal(v);
    if ((k !== 'input' && k !== 'output') || r === null || cmp(r, ZERO) < 0) problems.push(`"${part}" is not input=N or output=N`);
    else found[k] = r;
  }
  if (found.input === undefined || found.output === undefined) problems.push('give both input=N and output=N');
  if (problems.length > 0) throw new UsageError(`--tokens-per-call: ${problems.join('; ')}`, 'e.g. --tokens-per-call input=800,output=300');
  return { input: found.input!, output: found.output! };
}

/** "fast=demo-fast,…" → model names per tier. */
export function parseTierModels(text: string): Record<Tier, string> {
  const out: Partial<Record<Tier, string>> = {};
  const problems: string[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split('=');
    if (k === undefined || v === undefined || !isTier(k)) problems.push(`"${part}" is not tier=model`);
    else out[k] = v;
  }
  for (const t of TIERS) if (out[t] === undefined) problems.push(`missing ${t}=<model>`);
  if (problems.length > 0) throw new UsageError(`--models: ${problems.join('; ')}`, 'e.g. --models fast=demo-fast,mid=demo-fast,powerful=demo-powerful');
  return out as Record<Tier, string>;
}

const MILLION = rational(1_000_000n);

/** USD per call from per-1M-token prices of llmops.yaml models and assumed tokens per call. */
export function pricesFromModels(models: Record<Tier, string>, specs: Record<string, ModelSpec>, tokens: { input: Rational; output: Rational }, configFile: string): Record<Tier, Rational> {
  const problems: string[] = [];
  const prices: Partial<Record<Tier, Rational>> = {};
  for (const t of TIERS) {
    const spec = specs[models[t]];
    if (!spec) problems.push(`${t}: no model "${models[t]}" under models: in ${configFile}`);
    else if (!spec.price) problems.push(`${t}: model "${models[t]}" has no price: {input, output} in ${configFile}`);
    else prices[t] = div(add(mul(tokens.input, fromNumber(spec.price.input)), mul(tokens.output, fromNumber(spec.price.output))), MILLION);
  }
  if (problems.length > 0) throw new UsageError(`--models: ${problems.join('; ')}`);
  return prices as Record<Tier, Rational>;
}
