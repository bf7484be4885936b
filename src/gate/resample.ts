import type { Rng } from '../stats/prng.js';
import type { Column, MetricDef } from './metrics.js';

export interface ResampleInput {
  candidate: Record<Column, Float64Array>;
  baseline: Record<Column, Float64Array>;
  /** Paired: both sides have the same cases in the same order and share every resample. */
  paired: boolean;
  metrics: ReadonlyArray<MetricDef>;
  resamples: number;
  rng: Rng;
  /** Pivot shortcut for low quantiles (default on); off only to check it changes nothing. */
  pivots?: boolean;
}

export interface ResampleOutput {
  /** Point estimates per metric (same definitions as the replicates). */
  candidate: Float64Array;
  baseline: Float64Array;
  /** Per metric: `resamples` replicates of candidate − baseline (NaN when a side had no value). */
  diffs: Float64Array[];
}

/**
 * Poisson(1) inverse-CDF thresholds on the uint32 scale: weight k when u < T[k]. The Poisson
 * bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012) gives each case an independent
 * Poisson(1) weight instead of a multinomial draw: the same large-sample behaviour, and the
 * weights come out in case order, so every statistic is a sequential pass over typed arrays.
 */
const POISSON_THRESHOLDS = (() => {
  const t: number[] = [];
  let p = Math.exp(-1);
  let cum = 0;
  for (let k = 0; k < 16; k++) {
    cum += p;
    t.push(Math.min(0x100000000, Math.round(cum * 0x100000000)));
    p /= k + 1;
  }
  t[t.length - 1] = 0x100000000;
  return Uint32Array.from(t.map((x) => Math.min(x, 0xffffffff)));
})();

/**
 * Cases resampled together: both sides when paired, one side otherwise. Cases are reordered so
 * that each category — the tuple of 0/1/missing of every 0/1 series and presence of the others —
 * is one contiguous range: rates and presence counts then need one sum of weights per range.
 */
interface Group {
  n: number;
  /** Category ranges [start, end) in the reordered case order. */
  starts: Uint32Array;
  ends: Uint32Array;
  /** [category × series]: 1 when the series has a value in that category. */
  catPresent: Float64Array;
  /** [category × series]: the 0/1 value (binary series only). */
  catValue: Float64Array;
  seriesCount: number;
  /** Per non-binary mean series: values (NaN → 0) in reordered case order. */
  continuous: Float64Array[];
  /** Per quantile series: reordered case positions by rank, and the sorted values. */
  quantiles: Array<{ order: Uint32Array; sorted: Float64Array }>;
}

interface Series {
  group: 0 | 1;
  slot: number; // index within its group
  values: Float64Array;
  kind: 'binary' | 'mean' | 'quantile' | 'pivot';
  /** quantile series: per q ≤ 0.5, the pivot series marking ranks below `rank` (see addPivots). */
  pivots?: Map<number, { series: Series; rank: number }>;
  /** continuous column index (mean) or quantile index (quantile) within the group. */
  sub: number;
}

function isBinary(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) { const x = v[i]!; if (x === x && x !== 0 && x !== 1) return false; }
  return true;
}

function buildGroup(series: Series[]): Group {
  const n = series[0]?.values.length ?? 0;
  const s = series.length;
  const codes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let code = 0;
    for (let k = 0; k < s; k++) {
      const x = series[k]!.values[i]!;
      code = code * 3 + (x !== x ? 2 : series[k]!.kind === 'binary' || series[k]!.kind === 'pivot' ? x : 1);
    }
    codes[i] = code;
  }
  // Reorder by category code (ties by original index, so the order is deterministic).
  const perm = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => codes[a]! - codes[b]! || a - b);
  const distinct: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let p = 0; p < n; p++) {
    const code = codes[perm[p]!]!;
    if (distinct.length === 0 || distinct[distinct.length - 1] !== code) {
      if (distinct.length) ends.push(p);
      distinct.push(code);
      starts.push(p);
    }
  }
  if (distinct.length) ends.push(n);
  const categories = distinct.length;
  const catPresent = new Float64Array(categories * s);
  const catValue = new Float64Array(categories * s);
  distinct.forEach((code, id) => {
    let c = code;
    for (let k = s - 1; k >= 0; k--) {
      const state = c % 3;
      c = (c - state) / 3;
      catPresent[id * s + k] = state === 2 ? 0 : 1;
      catValue[id * s + k] = state === 1 ? 1 : 0;
    }
  });
  const continuous = series.filter((x) => x.kind === 'mean').map((m) => Float64Array.from(perm, (i) => { const x = m.values[i]!; return x === x ? x : 0; }));
  const quantiles = series.filter((x) => x.kind === 'quantile').map((q) => {
    const positions: number[] = [];
    for (let p = 0; p < n; p++) if (q.values[perm[p]!] === q.values[perm[p]!]) positions.push(p);
    const order = Uint32Array.from(positions).sort((a, b) => q.values[perm[a]!]! - q.values[perm[b]!]! || a - b);
    return { order, sorted: Float64Array.from(order, (p) => q.values[perm[p]!]!) };
  });
  return { n, starts: Uint32Array.from(starts), ends: Uint32Array.from(ends), catPresent, catValue, seriesCount: s, continuous, quantiles };
}

/** Per-resample scratch of one group. */
interface Scratch {
  weight: Uint8Array;
  draws: Uint32Array;
  catWeight: Float64Array;
  cont: Float64Array;
}

function scratchFor(g: Group): Scratch {
  return { weight: new Uint8Array(g.n), draws: new Uint32Array((g.n + 1) >>> 1), catWeight: new Float64Array(g.starts.length), cont: new Float64Array(g.continuous.length) };
}

/**
 * Poisson(1) weight of a 16-bit draw (probabilities quantised to 1/65536 — far below bootstrap
 * noise), so each 32-bit random number gives two weights.
 */
const POISSON_16 = (() => {
  const t = new Uint8Array(65536);
  for (let x = 0; x < 65536; x++) {
    const u = x * 65536 + 32768; // centre of the slice on the uint32 scale
    let k = 0;
    while (k < 15 && u >= POISSON_THRESHOLDS[k]!) k++;
    t[x] = k;
  }
  return t;
})();

/** Draws Poisson(1) weights for every case of the group. */
function drawWeights(s: Scratch, rng: Rng): void {
  const u = s.draws;
  const w = s.weight;
  rng.fillUint32(u);
  const n = w.length;
  const half = u.length;
  for (let i = 0; i < half; i++) {
    const x = u[i]!;
    w[2 * i] = POISSON_16[x & 0xffff]!;
    if (2 * i + 1 < n) w[2 * i + 1] = POISSON_16[x >>> 16]!;
  }
}

/**
 * Category weights and continuous sums: sequential passes, four independent accumulators each
 * so the adds do not wait on one another.
 */
function accumulate(g: Group, s: Scratch): void {
  const w = s.weight;
  for (let c = 0; c < g.starts.length; c++) {
    const start = g.starts[c]!, end = g.ends[c]!;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    let i = start;
    for (; i + 3 < end; i += 4) { a0 += w[i]!; a1 += w[i + 1]!; a2 += w[i + 2]!; a3 += w[i + 3]!; }
    for (; i < end; i++) a0 += w[i]!;
    s.catWeight[c] = a0 + a1 + a2 + a3;
  }
  const n = w.length;
  let k = 0;
  // Two series per pass: each weight is read once for both (judge and cost of a side, say).
  for (; k + 1 < g.continuous.length; k += 2) {
    const v = g.continuous[k]!, u = g.continuous[k + 1]!;
    let a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const w0 = w[i]!, w1 = w[i + 1]!;
      a0 += w0 * v[i]!; a1 += w1 * v[i + 1]!;
      b0 += w0 * u[i]!; b1 += w1 * u[i + 1]!;
    }
    for (; i < n; i++) { a0 += w[i]! * v[i]!; b0 += w[i]! * u[i]!; }
    s.cont[k] = a0 + a1;
    s.cont[k + 1] = b0 + b1;
  }
  for (; k < g.continuous.length; k++) {
    const v = g.continuous[k]!;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    let i = 0;
    for (; i + 3 < n; i += 4) { a0 += w[i]! * v[i]!; a1 += w[i + 1]! * v[i + 1]!; a2 += w[i + 2]! * v[i + 2]!; a3 += w[i + 3]! * v[i + 3]!; }
    for (; i < n; i++) a0 += w[i]! * v[i]!;
    s.cont[k] = a0 + a1 + a2 + a3;
  }
}

/** Weighted nearest-rank quantile, walking from the nearer end. */
export function quantileOf(q: Group['quantiles'][number], w: Uint8Array, total: number, p: number): number {
  if (total === 0) return NaN;
  const k = Math.max(1, Math.ceil(p * total - 1e-9));
  const order = q.order;
  const m = order.length;
  if (p <= 0.5) return walkUp(q, w, k, 0, 0);
  // The answer is the lowest j whose weight strictly above it is ≤ total − k.
  const limit = total - k;
  let above = 0;
  let j = m - 1;
  while (j > 4) {
    const block = w[order[j]!]! + w[order[j - 1]!]! + w[order[j - 2]!]! + w[order[j - 3]!]!;
    if (above + block > limit) break;
    above += block;
    j -= 4;
  }
  while (j > 0) {
    const next = above + w[order[j]!]!;
    if (next > limit) break;
    above = next;
    j--;
  }
  return q.sorted[j]!;
}

function seriesStat(g: Group, s: Scratch, se: Series, q: number | undefined): number {
  let present = 0;
  let sum = 0;
  const S = g.seriesCount;
  for (let c = 0; c < g.starts.length; c++) {
    const h = s.catWeight[c]!;
    present += h * g.catPresent[c * S + se.slot]!;
    sum += h * g.catValue[c * S + se.slot]!;
  }
  if (se.kind === 'binary') return present > 0 ? sum / present : NaN;
  if (se.kind === 'mean') return present > 0 ? s.cont[se.sub]! / present : NaN;
  const pivot = se.pivots?.get(q!);
  if (pivot) {
    // Weight below the pivot rank comes free from the category sums; walk only from there.
    let below = 0;
    for (let c = 0; c < g.starts.length; c++) below += s.catWeight[c]! * g.catValue[c * S + pivot.series.slot]!;
    return quantileFromPivot(g.quantiles[se.sub]!, s.weight, present, q!, pivot.rank, below);
  }
  return quantileOf(g.quantiles[se.sub]!, s.weight, present, q!);
}

/** Like quantileOf's upward walk, but starting at `rank` with the weight below it known. */
export function quantileFromPivot(q: Group['quantiles'][number], w: Uint8Array, total: number, p: number, rank: number, below: number): number {
  if (total === 0) return NaN;
  const k = Math.max(1, Math.ceil(p * total - 1e-9));
  if (below >= k) return quantileOf(q, w, total, p); // more than ~5 SE below the pivot: rare
  return walkUp(q, w, k, rank, below);
}

/**
 * The first sorted value at which the cumulative weight, walking up from index `j` with `cum`
 * already below it, reaches `k`. Blocks of four first (independent loads), then single steps
 * inside the last block.
 */
function walkUp(q: Group['quantiles'][number], w: Uint8Array, k: number, j: number, cum: number): number {
  const order = q.order;
  const m = order.length;
  for (; j + 3 < m; j += 4) {
    const block = w[order[j]!]! + w[order[j + 1]!]! + w[order[j + 2]!]! + w[order[j + 3]!]!;
    if (cum + block >= k) break;
    cum += block;
  }
  for (; j < m; j++) {
    cum += w[order[j]!]!;
    if (cum >= k) return q.sorted[j]!;
  }
  return q.sorted[m - 1]!;
}

/**
 * For each quantile q ≤ 0.5 of a quantile series, a 0/1 pivot series "rank below r" with r five
 * standard errors (of the rank) under q·m. The pivot joins the category code, so each resample
 * gets the weight below r from the category sums and the walk covers ~10 standard errors
 * instead of half of the cases.
 */
function addPivots(se: Series, qs: number[], group: Series[]): void {
  const v = se.values;
  const present: number[] = [];
  for (let i = 0; i < v.length; i++) if (v[i] === v[i]) present.push(v[i]!);
  const m = present.length;
  if (m < 64) return;
  const sorted = Float64Array.from(present).sort();
  for (const q of qs) {
    if (q > 0.5 || se.pivots?.has(q)) continue;
    // Defined by value, not rank, so ties sort the same way here and in the walk's order.
    const target = Math.max(0, Math.floor(q * m - 5 * Math.sqrt(m * q * (1 - q))) - 1);
    const pivotValue = sorted[target]!;
    let rank = 0;
    while (rank < m && sorted[rank]! < pivotValue) rank++;
    if (rank === 0) continue;
    const values = Float64Array.from(v, (x) => (x === x && x < pivotValue ? 1 : 0));
    const pivot: Series = { group: se.group, slot: group.length, values, kind: 'pivot', sub: -1 };
    group.push(pivot);
    (se.pivots ??= new Map()).set(q, { series: pivot, rank });
  }
}

/**
 * Bootstrap of candidate − baseline for every gated metric at once. Each resample draws one
 * weight per case (per group; shared by both sides when paired) and every metric is computed
 * from the same weights, with typed arrays allocated up front — no allocation in the loop.
 */
export function resampleDifferences(input: ResampleInput): ResampleOutput {
  const k = input.metrics.length;
  const seriesByGroup: Series[][] = [[], []];
  const contCount = [0, 0];
  const quantCount = [0, 0];
  const seriesCache = new Map<string, Series>();
  const seriesOf = (side: 'c' | 'b', def: MetricDef): Series => {
    const group: 0 | 1 = input.paired || side === 'c' ? 0 : 1;
    const values = (side === 'c' ? input.candidate : input.baseline)[def.column];
    const kind = def.kind === 'quantile' ? 'quantile' : isBinary(input.candidate[def.column]) && isBinary(input.baseline[def.column]) ? 'binary' : 'mean';
    const key = `${side}:${def.column}:${kind}`;
    let se = seriesCache.get(key);
    if (!se) {
      const sub = kind === 'mean' ? contCount[group]!++ : kind === 'quantile' ? quantCount[group]!++ : -1;
      se = { group, slot: seriesByGroup[group]!.length, values, kind, sub };
      seriesByGroup[group]!.push(se);
      seriesCache.set(key, se);
    }
    return se;
  };
  const pairs = input.metrics.map((def) => ({ def, c: seriesOf('c', def), b: seriesOf('b', def) }));
  for (const p of pairs) {
    if (input.pivots === false || p.def.kind !== 'quantile' || p.def.q! > 0.5) continue;
    for (const se of [p.c, p.b]) addPivots(se, [p.def.q!], seriesByGroup[se.group]!);
  }
  const groups = seriesByGroup.map((ss) => (ss.length ? buildGroup(ss) : null));
  const scratch = groups.map((g) => (g ? scratchFor(g) : null));
  if (input.paired && groups[0] && pairs.some((p) => p.c.values.length !== p.b.values.length)) throw new RangeError('paired resampling needs aligned cases');

  const stats = (out: Float64Array, side: 'c' | 'b') => {
    pairs.forEach((p, mi) => {
      const se = side === 'c' ? p.c : p.b;
      out[mi] = seriesStat(groups[se.group]!, scratch[se.group]!, se, p.def.q);
    });
  };
  const candidate = new Float64Array(k);
  const baseline = new Float64Array(k);
  for (let gi = 0; gi < 2; gi++) {
    const g = groups[gi], s = scratch[gi];
    if (!g || !s) continue;
    s.weight.fill(1);
    accumulate(g, s);
  }
  stats(candidate, 'c');
  stats(baseline, 'b');

  const diffs = Array.from({ length: k }, () => new Float64Array(input.resamples));
  const candStat = new Float64Array(k);
  const baseStat = new Float64Array(k);
  const rng = input.rng;
  for (let r = 0; r < input.resamples; r++) {
    for (let gi = 0; gi < 2; gi++) {
      const g = groups[gi], s = scratch[gi];
      if (!g || !s) continue;
      drawWeights(s, rng);
      accumulate(g, s);
    }
    stats(candStat, 'c');
    stats(baseStat, 'b');
    for (let mi = 0; mi < k; mi++) diffs[mi]![r] = candStat[mi]! - baseStat[mi]!;
  }
  return { candidate, baseline, diffs };
}
