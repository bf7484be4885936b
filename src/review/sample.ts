import { hash } from 'node:crypto';
import type { LoggedResponse } from './types.js';

/**
 * Stratified random sampling of logged responses, by deployment/variant. Pure: randomness comes
 * from a seeded hash of each request id (`sampleKey`), so the same seed over the same log gives
 * the same sample whatever order the log is read in, and memory stays bounded by strata × size.
 */

/** A response is reviewable when it was served and both the request and the answer were logged. */
export function isReviewable(r: LoggedResponse): r is LoggedResponse & { messages: NonNullable<LoggedResponse['messages']>; response: string } {
  return r.status === 'ok' && r.response !== null && r.response.trim() !== '' && r.messages !== null && r.messages.some((m) => m.role === 'user');
}

export function stratumOf(r: Pick<LoggedResponse, 'deployment' | 'variant'>): string {
  return `${r.deployment}/${r.variant}`;
}

/** Uniform in [0, 1) from SHA-256(seed, request id): an independent random key per response. */
export function sampleKey(seed: string, requestId: string): number {
  // One-shot hash: several times cheaper than a Hash object, and this runs once per logged response.
  const h = hash('sha256', `${seed}\u0000${requestId}`, 'buffer');
  return h.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * How many items each stratum gets: as close as possible to proportional (quota = size × share),
 * but every non-empty stratum gets at least one — a 5% canary variant must not go unreviewed —
 * and never more than a stratum holds. So the sample is larger than `size` when there are more
 * strata than that (one each); callers say so. Ties go to the smaller stratum name.
 */
export function allocate(counts: Readonly<Record<string, number>>, size: number): Record<string, number> {
  const strata = Object.keys(counts).filter((k) => counts[k]! > 0).sort();
  const total = strata.reduce((s, k) => s + counts[k]!, 0);
  const out: Record<string, number> = Object.fromEntries(strata.map((k) => [k, 0]));
  if (total === 0 || size <= 0) return out;
  const target = Math.min(Math.max(size, strata.length), total);
  const quota = Object.fromEntries(strata.map((k) => [k, (target * counts[k]!) / total]));
  for (const k of strata) out[k] = Math.min(counts[k]!, Math.max(1, Math.floor(quota[k]!)));
  let sum = strata.reduce((s, k) => s + out[k]!, 0);
  // Raising small strata to one may overshoot: take back from the most over-allocated.
  while (sum > target) {
    const k = pick(strata.filter((x) => out[x]! > 1), (x) => out[x]! - quota[x]!);
    out[k]!--;
    sum--;
  }
  // Hand out what is left to the largest shortfalls (the largest-remainder method).
  while (sum < target) {
    const k = pick(strata.filter((x) => out[x]! < counts[x]!), (x) => quota[x]! - out[x]!);
    out[k]!++;
    sum++;
  }
  return out;
}

/** The candidate with the highest score; the first (smallest name) on a tie. */
function pick(candidates: string[], score: (k: string) => number): string {
  let best = candidates[0]!;
  for (const k of candidates) if (score(k) > score(best) + 1e-12) best = k;
  return best;
}

interface Keyed<T> {
  key: number;
  id: string;
  item: T;
}

/** Keeps, per stratum, the `capacity` items with the smallest keys (a uniform random subset). */
class SmallestKeys<T> {
  private readonly items: Keyed<T>[] = [];
  constructor(private readonly capacity: number) {}
  offer(k: Keyed<T>): void {
    if (this.capacity === 0) return;
    const full = this.items.length >= this.capacity;
    const last = this.items[this.items.length - 1];
    if (full && last !== undefined && compare(k, last) >= 0) return;
    // Sorted insert; capacity is the review size (~100), so linear is fine.
    let i = this.items.length;
    while (i > 0 && compare(k, this.items[i - 1]!) < 0) i--;
    this.items.splice(i, 0, k);
    if (this.items.length > this.capacity) this.items.pop();
  }
  take(n: number): Keyed<T>[] {
    return this.items.slice(0, n);
  }
}

const compare = (a: Keyed<unknown>, b: Keyed<unknown>) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface SampleResult<T> {
  /** Sampled items, in review order (by their random key, so strata are interleaved). */
  items: T[];
  /** Reviewable responses per stratum. */
  population: Record<string, number>;
  allocation: Record<string, number>;
  /** Responses in the window that could not be reviewed (errors, redacted requests, empty answers). */
  unreviewable: number;
}

/** Draws a stratified sample of `size` reviewable responses (at least one per stratum) in one pass over `responses`. */
export function stratifiedSample(responses: Iterable<LoggedResponse>, size: number, seed: string): SampleResult<LoggedResponse & { messages: NonNullable<LoggedResponse['messages']>; response: string }> {
  type R = LoggedResponse & { messages: NonNullable<LoggedResponse['messages']>; response: string };
  const pools = new Map<string, SmallestKeys<R>>();
  const population: Record<string, number> = {};
  let unreviewable = 0;
  for (const r of responses) {
    if (!isReviewable(r)) {
      unreviewable++;
      continue;
    }
    const s = stratumOf(r);
    population[s] = (population[s] ?? 0) + 1;
    let pool = pools.get(s);
    if (!pool) pools.set(s, (pool = new SmallestKeys<R>(size)));
    pool.offer({ key: sampleKey(seed, r.requestId), id: r.requestId, item: r });
  }
  const allocation = allocate(population, size);
  const picked: Keyed<R>[] = [];
  for (const [s, pool] of pools) picked.push(...pool.take(allocation[s] ?? 0));
  picked.sort(compare);
  return { items: picked.map((k) => k.item), population, allocation, unreviewable };
}
