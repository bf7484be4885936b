/**
 * Sticky traffic split. A user is hashed (tenant id + user id) to a bucket in [0, 10000); each
 * variant owns a range of buckets. Pure: the same user lands in the same bucket on every
 * request, restart and replica, with no shared state.
 *
 * Layout (why it is laid out this way): candidates own ranges anchored at fixed ends so that
 * raising a candidate's share only *extends* its range — users already on it stay on it.
 *   - the 1st candidate grows upward from bucket 0,
 *   - the 2nd candidate grows downward from bucket 10000,
 *   - further candidates follow the 1st one (growing one of them may shift the ones after it),
 *   - the baseline owns what is left in the middle.
 * So a canary (one candidate) and an A/B/C test (two candidates) are fully stable.
 */

export const BUCKETS = 10_000;

export type VariantRole = 'baseline' | 'candidate';

export interface SplitVariant {
  name: string;
  role: VariantRole;
  /** Share of traffic in basis points (0..10000). */
  weightBp: number;
}

export interface BucketRange {
  variant: string;
  /** Inclusive start. */
  start: number;
  /** Exclusive end. */
  end: number;
}

/** FNV-1a over UTF-16 code units, then murmur3's fmix32 so nearby strings spread over the space. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The user's bucket; the separator keeps ("ab","c") and ("a","bc") apart. */
export function bucketOf(tenant: string, user: string): number {
  return hash32(`${tenant}\u0000${user}`) % BUCKETS;
}

/** Checks weights are whole basis points summing to 10000 with exactly one baseline. */
export function validateSplit(variants: readonly SplitVariant[]): string[] {
  const problems: string[] = [];
  const baselines = variants.filter((v) => v.role === 'baseline');
  if (baselines.length !== 1) problems.push(`exactly one baseline variant is required (found ${baselines.length})`);
  for (const v of variants) {
    if (!Number.isInteger(v.weightBp) || v.weightBp < 0 || v.weightBp > BUCKETS) problems.push(`variant ${v.name}: weight must be between 0 and 100%`);
  }
  const total = variants.reduce((s, v) => s + v.weightBp, 0);
  if (total !== BUCKETS) problems.push(`weights must sum to 100% (got ${total / 100}%)`);
  return problems;
}

/** Bucket ranges for the variants (see the layout above). Throws on an invalid split. */
export function layoutRanges(variants: readonly SplitVariant[]): BucketRange[] {
  const problems = validateSplit(variants);
  if (problems.length > 0) throw new Error(`invalid split: ${problems.join('; ')}`);
  const candidates = variants.filter((v) => v.role === 'candidate');
  const baseline = variants.find((v) => v.role === 'baseline')!;
  const ranges: BucketRange[] = [];
  let low = 0;
  let high = BUCKETS;
  candidates.forEach((c, i) => {
    if (i === 1) {
      ranges.push({ variant: c.name, start: high - c.weightBp, end: high });
      high -= c.weightBp;
    } else {
      ranges.push({ variant: c.name, start: low, end: low + c.weightBp });
      low += c.weightBp;
    }
  });
  ranges.push({ variant: baseline.name, start: low, end: high });
  return ranges.filter((r) => r.end > r.start);
}

/** The variant owning a bucket. */
export function variantForBucket(ranges: readonly BucketRange[], bucket: number): string {
  for (const r of ranges) if (bucket >= r.start && bucket < r.end) return r.variant;
  throw new Error(`bucket ${bucket} is outside every range`);
}

/** Percent (0..100, up to two decimals) to basis points. */
export const percentToBp = (percent: number): number => Math.round(percent * 100);
export const bpToPercent = (bp: number): number => bp / 100;
