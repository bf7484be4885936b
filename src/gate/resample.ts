import { createRng, type Rng } from '../stats/prng.js';
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
  /** One c − b series for paired means (default on); off only to check it changes nothing. */
  differenceSeries?: boolean;
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
  /** The first FUSED continuous series, padded with zeros (see resampleGroup). */
  fused: Float64Array[];
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

function meanOf(v: Float64Array): number {
  let sum = 0, n = 0;
  for (let i = 0; i < v.length; i++) { const x = v[i]!; if (x === x) { sum += x; n++; } }
  return n > 0 ? sum / n : NaN;
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
  return { n, starts: Uint32Array.from(starts), ends: Uint32Array.from(ends), catPresent, catValue, seriesCount: s, continuous, fused: fusedSeries({ n, continuous }), quantiles };
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

/** Zeros standing in for absent continuous series, so the fused pass never branches. */
function fusedSeries(g: Pick<Group, 'n' | 'continuous'>): Float64Array[] {
  const zeros = g.continuous.length < FUSED ? new Float64Array(g.n) : null;
  return Array.from({ length: FUSED }, (_, k) => g.continuous[k] ?? zeros!);
}

/** Continuous sums carried in the fused pass; more series get extra passes. */
const FUSED = 4;

/**
 * One resample of a group in a single pass over its cases: draw each case's Poisson(1) weight
 * (two per 32-bit draw), keep it for the quantile walks, and add it to its category's sum and to
 * the first four continuous sums. One pass instead of three keeps each weight in a register.
 */
function resampleGroup(g: Group, s: Scratch, rng: Rng): void {
  const u = s.draws;
  const w = s.weight;
  rng.fillUint32(u);
  const f = g.fused;
  const v0 = f[0]!, v1 = f[1]!, v2 = f[2]!, v3 = f[3]!;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  const starts = g.starts, ends = g.ends, catWeight = s.catWeight;
  for (let c = 0; c < starts.length; c++) {
    const end = ends[c]!;
    let h = 0;
    for (let i = starts[c]!; i < end; i++) {
      const x = POISSON_16[(u[i >>> 1]! >>> ((i & 1) << 4)) & 0xffff]!;
      w[i] = x;
      h += x;
      a0 += x * v0[i]!; a1 += x * v1[i]!; a2 += x * v2[i]!; a3 += x * v3[i]!;
    }
    catWeight[c] = h;
  }
  const cont = s.cont;
  const m = g.continuous.length;
  if (m > 0) cont[0] = a0;
  if (m > 1) cont[1] = a1;
  if (m > 2) cont[2] = a2;
  if (m > 3) cont[3] = a3;
  for (let k = FUSED; k < m; k++) {
    const v = g.continuous[k]!;
    let a = 0;
    for (let i = 0; i < w.length; i++) a += w[i]! * v[i]!;
    cont[k] = a;
  }
}

/** Every weight 1, for the point estimates: category sums are the category sizes, continuous sums plain sums. */
function unitWeights(g: Group, s: Scratch): void {
  s.weight.fill(1);
  for (let c = 0; c < g.starts.length; c++) s.catWeight[c] = g.ends[c]! - g.starts[c]!;
  g.continuous.forEach((v, k) => {
    let a = 0;
    for (let i = 0; i < v.length; i++) a += v[i]!;
    s.cont[k] = a;
  });
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

/** What every resample needs, built once from the columns: the groups, series and point estimates. */
export interface ResamplePlan {
  metrics: number;
  candidate: Float64Array;
  baseline: Float64Array;
  /** Runs resamples [from, to) with `rng`, writing replicate r of metric m to diffs[m][r]. */
  run(rng: Rng, diffs: Float64Array[], from: number, to: number): void;
}

/**
 * Builds the plan of a fused bootstrap of candidate − baseline for every gated metric at once.
 * Each resample draws one weight per case (per group; shared by both sides when paired) and every
 * metric is computed from the same weights, with typed arrays allocated up front — no allocation
 * in the loop.
 */
export function planResampling(input: Omit<ResampleInput, 'rng' | 'resamples'>): ResamplePlan {
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
  // A paired mean whose two sides are measured on the same cases needs only Σw·(c − b): one
  // series instead of two in every resample (judge score and cost, typically).
  const diffSeriesOf = (def: MetricDef): Series | undefined => {
    const c = input.candidate[def.column], b = input.baseline[def.column];
    if (!input.paired || input.differenceSeries === false || def.kind !== 'mean' || c.length !== b.length || (isBinary(c) && isBinary(b))) return undefined;
    const d = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) {
      if ((c[i] !== c[i]) !== (b[i] !== b[i])) return undefined;
      d[i] = c[i]! - b[i]!;
    }
    const key = `d:${def.column}`;
    let se = seriesCache.get(key);
    if (!se) {
      se = { group: 0, slot: seriesByGroup[0]!.length, values: d, kind: 'mean', sub: contCount[0]!++ };
      seriesByGroup[0]!.push(se);
      seriesCache.set(key, se);
    }
    return se;
  };
  const pairs = input.metrics.map((def) => {
    const diff = diffSeriesOf(def);
    return diff ? { def, diff, c: undefined, b: undefined } : { def, diff: undefined, c: seriesOf('c', def), b: seriesOf('b', def) };
  });
  for (const p of pairs) {
    if (input.pivots === false || p.def.kind !== 'quantile' || p.def.q! > 0.5 || !p.c || !p.b) continue;
    for (const se of [p.c, p.b]) addPivots(se, [p.def.q!], seriesByGroup[se.group]!);
  }
  const groups = seriesByGroup.map((ss) => (ss.length ? buildGroup(ss) : null));
  const scratch = groups.map((g) => (g ? scratchFor(g) : null));
  if (input.paired && groups[0] && pairs.some((p) => p.c && p.c.values.length !== p.b.values.length)) throw new RangeError('paired resampling needs aligned cases');

  /** Per metric candidate − baseline under the current weights. */
  const differences = (out: Float64Array) => {
    for (let mi = 0; mi < k; mi++) {
      const p = pairs[mi]!;
      if (p.diff) { out[mi] = seriesStat(groups[0]!, scratch[0]!, p.diff, undefined); continue; }
      const c = seriesStat(groups[p.c.group]!, scratch[p.c.group]!, p.c, p.def.q);
      out[mi] = c - seriesStat(groups[p.b.group]!, scratch[p.b.group]!, p.b, p.def.q);
    }
  };
  const candidate = new Float64Array(k);
  const baseline = new Float64Array(k);
  pairs.forEach((p, mi) => {
    if (p.c) return;
    candidate[mi] = meanOf(input.candidate[p.def.column]);
    baseline[mi] = meanOf(input.baseline[p.def.column]);
  });
  for (let gi = 0; gi < 2; gi++) {
    const g = groups[gi], s = scratch[gi];
    if (!g || !s) continue;
    unitWeights(g, s);
  }
  pairs.forEach((p, mi) => {
    if (!p.c) return;
    candidate[mi] = seriesStat(groups[p.c.group]!, scratch[p.c.group]!, p.c, p.def.q);
    baseline[mi] = seriesStat(groups[p.b.group]!, scratch[p.b.group]!, p.b, p.def.q);
  });

  return {
    metrics: k,
    candidate,
    baseline,
    run(rng, diffs, from, to) {
      const diff = new Float64Array(k);
      for (let r = from; r < to; r++) {
        for (let gi = 0; gi < 2; gi++) {
          const g = groups[gi], s = scratch[gi];
          if (!g || !s) continue;
          resampleGroup(g, s, rng);
        }
        differences(diff);
        for (let mi = 0; mi < k; mi++) diffs[mi]![r] = diff[mi]!;
      }
    },
  };
}

/** Resamples per chunk: the unit a thread claims, each with its own seed (see resample-parallel.ts). */
export const CHUNK = 500;

/**
 * The fused bootstrap, single-threaded: replicates come in chunks of CHUNK resamples, chunk j
 * seeded with the j-th draw of `input.rng`, so the result is the same whichever thread runs
 * which chunk (see resample-parallel.ts).
 */
export function resampleDifferences(input: ResampleInput): ResampleOutput {
  const plan = planResampling(input);
  const seeds = chunkSeeds(input.rng, input.resamples);
  const diffs = Array.from({ length: plan.metrics }, () => new Float64Array(input.resamples));
  for (let j = 0; j < seeds.length; j++) runChunk(plan, seeds, j, diffs, input.resamples);
  return { candidate: plan.candidate, baseline: plan.baseline, diffs };
}

export function chunkSeeds(rng: Rng, resamples: number): Uint32Array {
  const seeds = new Uint32Array(Math.ceil(resamples / CHUNK));
  for (let j = 0; j < seeds.length; j++) seeds[j] = rng.nextUint32();
  return seeds;
}

export function runChunk(plan: ResamplePlan, seeds: Uint32Array, j: number, diffs: Float64Array[], resamples: number): void {
  plan.run(createRng(seeds[j]!), diffs, j * CHUNK, Math.min(resamples, (j + 1) * CHUNK));
}
