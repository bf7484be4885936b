import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/gate/metrics.js';
import type * as Parallel from '../../src/gate/resample-parallel.js';
import { createRng } from '../../src/stats/index.js';
import { importBuilt } from '../support/built.js';

// The helper thread runs the built worker (dist/), as `llmops gate` does; vitest runs sources,
// under which the helper cannot start, so the built module is what is tested here.
const built = await importBuilt<typeof Parallel>('gate/resample-parallel.js');

function columns(seed: number, n: number) {
  const r = createRng(seed);
  const f = (g: () => number) => Float64Array.from({ length: n }, g);
  return {
    pass: f(() => (r.next() < 0.9 ? 1 : 0)), judge: f(() => r.next()), hallucination: f(() => (r.next() < 0.03 ? 1 : 0)), error: f(() => (r.next() < 0.02 ? 1 : 0)),
    latency: f(() => 100 + 900 * r.next() ** 3), ttft: f(() => 20 + 100 * r.next()), cost: f(() => 0.0001 * r.next()),
  };
}

describe('bootstrap on helper threads', () => {
  const metrics = Object.values(METRICS);
  it('gives bit-identical replicates to one thread, with the helper doing part of the work', () => {
    const input = { candidate: columns(1, 20_000), baseline: columns(2, 20_000), paired: true, metrics, resamples: 2_000 };
    const one = built.resampleDifferencesParallel({ ...input, rng: createRng(9) }, 1);
    expect(one.helperChunks).toBe(0);
    // As below: retry until the helper got to a chunk before this thread took them all.
    let helperChunks = 0;
    for (let attempt = 0; attempt < 5 && helperChunks === 0; attempt++) {
      const two = built.resampleDifferencesParallel({ ...input, rng: createRng(9) }, 2);
      expect(Array.from(two.candidate)).toEqual(Array.from(one.candidate));
      for (let m = 0; m < metrics.length; m++) expect(Array.from(two.diffs[m]!)).toEqual(Array.from(one.diffs[m]!));
      helperChunks = two.helperChunks;
    }
    expect(helperChunks).toBeGreaterThan(0);
    // Asking for 64 threads starts at most a few helpers (capped), with the same replicates.
    const many = built.resampleDifferencesParallel({ ...input, rng: createRng(9) }, 64);
    for (let m = 0; m < metrics.length; m++) expect(Array.from(many.diffs[m]!)).toEqual(Array.from(one.diffs[m]!));
  });
  it('unpaired runs of different sizes too', () => {
    const input = { candidate: columns(3, 12_000), baseline: columns(4, 9_000), paired: false, metrics, resamples: 2_000 };
    const one = built.resampleDifferencesParallel({ ...input, rng: createRng(10) }, 1);
    // Chunks are claimed as threads get to them: on a loaded machine this thread may finish all of
    // them before the helper has started. Every attempt must match; one must have used the helper.
    let helperChunks = 0;
    for (let attempt = 0; attempt < 5 && helperChunks === 0; attempt++) {
      const two = built.resampleDifferencesParallel({ ...input, rng: createRng(10) }, 2);
      for (let m = 0; m < metrics.length; m++) expect(Array.from(two.diffs[m]!)).toEqual(Array.from(one.diffs[m]!));
      helperChunks = two.helperChunks;
    }
    expect(helperChunks).toBeGreaterThan(0);
  });
  it('small work stays on the calling thread', () => {
    const input = { candidate: columns(5, 500), baseline: columns(6, 500), paired: true, metrics, resamples: 1_000 };
    expect(built.resampleDifferencesParallel({ ...input, rng: createRng(1) }, 2).helperChunks).toBe(0);
  });
});
