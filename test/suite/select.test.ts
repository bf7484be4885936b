import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iterateCases, loadSuite, selectCases, shardOf, type Case, type CaseSelection } from '../../src/suite/index.js';
import { SIMPLE_SUITE, tempSuite } from './helpers.js';

const mk = (i: number, tags: string[] = []): Case => ({ id: `c${i}`, vars: {}, tags });
const range = (n: number) => Array.from({ length: n }, (_, i) => mk(i, [i % 3 === 0 ? 'three' : 'other', ...(i % 2 ? ['odd'] : [])]));
async function ids(cases: Iterable<Case>, sel: CaseSelection): Promise<string[]> {
  const out: string[] = [];
  for await (const c of selectCases(cases, sel)) out.push(c.id);
  return out;
}

describe('selectCases', () => {
  it('no selection keeps everything in order; limit keeps the first n', async () => {
    expect(await ids(range(5), {})).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(await ids(range(5), { limit: 2 })).toEqual(['c0', 'c1']);
  });

  it('filter keeps cases with any of the tags, before limit', async () => {
    expect(await ids(range(10), { filter: ['three'] })).toEqual(['c0', 'c3', 'c6', 'c9']);
    expect(await ids(range(10), { filter: ['three', 'odd'], limit: 4 })).toEqual(['c0', 'c1', 'c3', 'c5']);
    expect(await ids(range(10), { filter: ['none'] })).toEqual([]);
  });

  it('shards partition the cases: disjoint, complete, roughly even, independent of order', async () => {
    const cases = range(3000);
    const shards = await Promise.all([1, 2, 3, 4].map((k) => ids(cases, { shard: { index: k, count: 4 } })));
    const union = shards.flat();
    expect(new Set(union).size).toBe(3000);
    expect(union).toHaveLength(3000);
    for (const s of shards) expect(Math.abs(s.length - 750)).toBeLessThan(120); // ±4.4σ of a binomial(3000, 1/4)
    const reversed = await ids([...cases].reverse(), { shard: { index: 2, count: 4 } });
    expect(new Set(reversed)).toEqual(new Set(shards[1]));
    expect(shardOf('c1', 1)).toBe(1);
  });

  it('sample is deterministic by seed, in file order, independent of file order and of other ids', async () => {
    const cases = range(1000);
    const a = await ids(cases, { sample: 50, seed: '42' });
    expect(a).toHaveLength(50);
    expect(await ids(cases, { sample: 50, seed: '42' })).toEqual(a);
    expect(a).toEqual([...a].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)))); // file order
    const b = await ids(cases, { sample: 50, seed: '43' });
    expect(b).not.toEqual(a);
    expect(new Set(await ids([...cases].reverse(), { sample: 50, seed: '42' }))).toEqual(new Set(a));
    // Adding cases can only push out picks, never bring in a different earlier pick: the kept set
    // of a superset restricted to the old ids is a subset of the old sample.
    const grown = await ids(range(1200), { sample: 50, seed: '42' });
    expect(grown.filter((id) => Number(id.slice(1)) < 1000).every((id) => a.includes(id))).toBe(true);
    expect(await ids(cases, { sample: 2000, seed: '1' })).toHaveLength(1000);
    expect(await ids(cases, { sample: 0 })).toEqual([]);
  });

  it('order of application: filter, shard, sample, then limit', async () => {
    const cases = range(600);
    const filtered = await ids(cases, { filter: ['odd'], shard: { index: 1, count: 2 } });
    const sampled = await ids(cases, { filter: ['odd'], shard: { index: 1, count: 2 }, sample: 20, seed: 's' });
    expect(sampled.every((id) => filtered.includes(id))).toBe(true);
    expect(await ids(cases, { filter: ['odd'], shard: { index: 1, count: 2 }, sample: 20, seed: 's', limit: 5 })).toEqual(sampled.slice(0, 5));
  });
});

describe('streaming a large suite', () => {
  it('loads and streams 100,000 cases without holding them (heap growth far below the data size)', async () => {
    const dir = tempSuite({ 'suite.yaml': SIMPLE_SUITE });
    const file = join(dir, 'cases.jsonl');
    const out = createWriteStream(file);
    const pad = 'x'.repeat(400); // ~450 bytes a line → ~45 MB of JSONL
    for (let i = 0; i < 100_000; i++) {
      if (!out.write(`{"id":"k${i}","vars":{"question":"q${i} ${pad}"},"expected":"${i}","tags":["${i % 2 ? 'odd' : 'even'}"]}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const suite = await loadSuite(dir);
    expect(suite.caseCount).toBe(100_000);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let n = 0, peak = 0, last = '';
    for await (const c of iterateCases(suite)) {
      n++;
      last = c.id;
      if (n % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(n).toBe(100_000);
    expect(last).toBe('k99999');
    // Holding the cases would take well over 45 MB; streaming keeps garbage bounded by GC.
    expect(peak).toBeLessThan(40 * 1024 * 1024);
    writeFileSync(file, ''); // free the temp disk early
  });
});
