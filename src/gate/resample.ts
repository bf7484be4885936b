import type { Rng } from '../stats/prng.js';
import { COLUMNS, type Column, type MetricDef } from './metrics.js';

/** One side's data, ready for weighted statistics. */
interface SideData {
  n: number;
  /** Per column: value with NaN replaced by 0, and 1/0 presence — branch-free weighted sums. */
  values: Float64Array[];
  present: Float64Array[];
  /** Per quantile metric: case indices with a value, sorted by value, and the sorted values. */
  order: Uint32Array[];
  sorted: Float64Array[];
}

export interface ResampleInput {
  candidate: Record<Column, Float64Array>;
  baseline: Record<Column, Float64Array>;
  /** Paired: both sides have the same cases in the same order and share every resample. */
  paired: boolean;
  metrics: ReadonlyArray<MetricDef>;
  resamples: number;
  rng: Rng;
}

export interface ResampleOutput {
  /** Point estimates per metric (same definitions as the replicates). */
  candidate: Float64Array;
  baseline: Float64Array;
  /** Per metric: `resamples` replicates of candidate − baseline (NaN when a side had no value). */
  diffs: Float64Array[];
}

function prepare(cols: Record<Column, Float64Array>, used: Column[], metrics: ReadonlyArray<MetricDef>): SideData {
  const n = cols.pass.length;
  const values: Float64Array[] = [];
  const present: Float64Array[] = [];
  for (const c of used) {
    const src = cols[c];
    const v = new Float64Array(n);
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = src[i]!;
      if (x === x) { v[i] = x; p[i] = 1; }
    }
    values.push(v);
    present.push(p);
  }
  const order: Uint32Array[] = [];
  const sorted: Float64Array[] = [];
  for (const m of metrics) {
    if (m.kind !== 'quantile') { order.push(new Uint32Array(0)); sorted.push(new Float64Array(0)); continue; }
    const src = cols[m.column];
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (src[i] === src[i]) idx.push(i);
    const o = Uint32Array.from(idx).sort((a, b) => src[a]! - src[b]!);
    order.push(o);
    sorted.push(Float64Array.from(o, (i) => src[i]!));
  }
  return { n, values, present, order, sorted };
}

/**
 * Weighted nearest-rank quantile: the smallest value whose cumulative weight reaches ⌈q·W⌉.
 * Walks from the nearer end, so p95/p99 touch only the top few percent of the cases.
 */
function weightedQuantile(order: Uint32Array, sorted: Float64Array, w: Uint32Array, totalWeight: number, q: number): number {
  if (totalWeight === 0) return NaN;
  const k = Math.max(1, Math.ceil(q * totalWeight - 1e-9));
  const m = order.length;
  if (q <= 0.5) {
    let cum = 0;
    for (let j = 0; j < m; j++) {
      cum += w[order[j]!]!;
      if (cum >= k) return sorted[j]!;
    }
    return sorted[m - 1]!;
  }
  // From the top: the answer is the lowest j whose weight strictly above it is ≤ W − k.
  const limit = totalWeight - k;
  let above = 0;
  let j = m - 1;
  while (j > 0) {
    const next = above + w[order[j]!]!;
    if (next > limit) break;
    above = next;
    j--;
  }
  return sorted[j]!;
}

function statistics(side: SideData, w: Uint32Array, metrics: ReadonlyArray<MetricDef>, colIndex: Map<Column, number>, sums: Float64Array, counts: Float64Array, out: Float64Array): void {
  const nCols = side.values.length;
  for (let c = 0; c < nCols; c++) {
    const v = side.values[c]!;
    const p = side.present[c]!;
    let s = 0;
    let k = 0;
    for (let i = 0; i < side.n; i++) {
      const wi = w[i]!;
      s += wi * v[i]!;
      k += wi * p[i]!;
    }
    sums[c] = s;
    counts[c] = k;
  }
  for (let mi = 0; mi < metrics.length; mi++) {
    const m = metrics[mi]!;
    const c = colIndex.get(m.column)!;
    out[mi] = m.kind === 'mean'
      ? (counts[c]! > 0 ? sums[c]! / counts[c]! : NaN)
      : weightedQuantile(side.order[mi]!, side.sorted[mi]!, w, counts[c]!, m.q!);
  }
}

function draw(w: Uint32Array, rng: Rng): void {
  const n = w.length;
  w.fill(0);
  for (let i = 0; i < n; i++) w[Math.floor((rng.nextUint32() / 0x100000000) * n)]!++;
}

/**
 * Bootstrap of candidate − baseline for every gated metric at once: each resample draws case
 * weights (multinomial counts) once and every metric is computed from them, so 10,000 resamples
 * of 10,000 cases cost one pass over typed arrays per resample and no allocation in the loop.
 */
export function resampleDifferences(input: ResampleInput): ResampleOutput {
  const used = COLUMNS.filter((c) => input.metrics.some((m) => m.column === c));
  const colIndex = new Map(used.map((c, i) => [c, i]));
  const cand = prepare(input.candidate, used, input.metrics);
  const base = prepare(input.baseline, used, input.metrics);
  if (input.paired && cand.n !== base.n) throw new RangeError('paired resampling needs aligned cases');
  const k = input.metrics.length;
  const sums = new Float64Array(used.length);
  const counts = new Float64Array(used.length);
  const candStat = new Float64Array(k);
  const baseStat = new Float64Array(k);
  const wCand = new Uint32Array(cand.n).fill(1);
  const wBase = input.paired ? wCand : new Uint32Array(base.n).fill(1);
  statistics(cand, wCand, input.metrics, colIndex, sums, counts, candStat);
  statistics(base, wBase, input.metrics, colIndex, sums, counts, baseStat);
  const candidate = candStat.slice();
  const baseline = baseStat.slice();
  const diffs = Array.from({ length: k }, () => new Float64Array(input.resamples));
  for (let r = 0; r < input.resamples; r++) {
    draw(wCand, input.rng);
    if (!input.paired) draw(wBase, input.rng);
    statistics(cand, wCand, input.metrics, colIndex, sums, counts, candStat);
    statistics(base, wBase, input.metrics, colIndex, sums, counts, baseStat);
    for (let mi = 0; mi < k; mi++) diffs[mi]![r] = candStat[mi]! - baseStat[mi]!;
  }
  return { candidate, baseline, diffs };
}
