import { createHash } from 'node:crypto';
import type { Case } from './types.js';

/** `--filter`, `--shard`, `--sample --seed`, `--limit`, applied in that order. */
export interface CaseSelection {
  /** Keep cases having any of these tags. */
  filter?: string[] | undefined;
  /** Keep shard `index` (1-based) of `count`, by a hash of the case id. */
  shard?: { index: number; count: number } | undefined;
  /** Keep a deterministic pseudo-random sample of this many cases… */
  sample?: number | undefined;
  /** …drawn with this seed (same seed, same ids → same sample). */
  seed?: string | number | undefined;
  /** Keep the first n cases (after the other selections). */
  limit?: number | undefined;
}

/** 48 bits of sha256(parts): uniform, stable across machines and runs. */
export function idHash(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUIntBE(0, 6);
}

/** Shard of a case id, 1..count: independent of file order, so shards of a changed file stay stable. */
export function shardOf(id: string, count: number): number {
  return (idHash('shard', id) % count) + 1;
}

export function hasAnyTag(c: Case, tags: readonly string[]): boolean {
  return tags.some((t) => c.tags.includes(t));
}

/** Max-heap on key: keeps the n smallest keys seen, in O(n) memory. */
class SmallestN<T> {
  private readonly heap: Array<{ key: number; order: number; value: T }> = [];
  constructor(private readonly n: number) {}
  private greater(i: number, j: number): boolean {
    const a = this.heap[i]!, b = this.heap[j]!;
    return a.key > b.key || (a.key === b.key && a.order > b.order);
  }
  private swap(i: number, j: number): void {
    [this.heap[i], this.heap[j]] = [this.heap[j]!, this.heap[i]!];
  }
  offer(key: number, order: number, value: T): void {
    const item = { key, order, value };
    if (this.heap.length < this.n) {
      this.heap.push(item);
      for (let i = this.heap.length - 1; i > 0;) {
        const p = (i - 1) >> 1;
        if (!this.greater(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    const top = this.heap[0]!;
    if (key > top.key || (key === top.key && order > top.order)) return;
    this.heap[0] = item;
    for (let i = 0; ;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < this.heap.length && this.greater(l, m)) m = l;
      if (r < this.heap.length && this.greater(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
  /** The kept values in their original (file) order. */
  inOrder(): T[] {
    return [...this.heap].sort((a, b) => a.order - b.order).map((x) => x.value);
  }
}

/**
 * Applies a selection to a case stream, streaming: filter, shard and limit hold nothing; a
 * sample of n holds only n cases (hash of seed + id, keeping the n smallest), then yields them
 * in file order. The sample does not depend on file order or on the other cases' ids.
 */
export async function* selectCases(cases: AsyncIterable<Case> | Iterable<Case>, sel: CaseSelection): AsyncGenerator<Case> {
  const filter = sel.filter?.length ? sel.filter : undefined;
  const limit = sel.limit ?? Infinity;
  if (limit <= 0 || (sel.sample !== undefined && sel.sample <= 0)) return;
  const keep = (c: Case) => (!filter || hasAnyTag(c, filter)) && (!sel.shard || shardOf(c.id, sel.shard.count) === sel.shard.index);

  if (sel.sample === undefined) {
    let n = 0;
    for await (const c of cases) {
      if (!keep(c)) continue;
      yield c;
      if (++n >= limit) return;
    }
    return;
  }
  const sample = new SmallestN<Case>(sel.sample);
  const seed = String(sel.seed ?? '1');
  let order = 0;
  for await (const c of cases) if (keep(c)) sample.offer(idHash('sample', seed, c.id), order++, c);
  let n = 0;
  for (const c of sample.inOrder()) {
    yield c;
    if (++n >= limit) return;
  }
}
