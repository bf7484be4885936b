import { Worker } from 'node:worker_threads';
import { workerEntry } from '../util/worker-entry.js';
import { chunkSeeds, planResampling, resampleDifferences, runChunk, type ResampleInput, type ResampleOutput, type ResamplePlan } from './resample.js';

/** Below this many case·resamples a helper thread costs more to start (~50 ms) than it saves. */
const PARALLEL_WORK = 20_000_000;
/**
 * At most this many helper threads: each one copies the columns and builds its own plan, so on a
 * many-core machine more helpers cost memory and start-up for little gain.
 */
const MAX_HELPERS = 3;
/** How long to wait for a chunk a helper claimed before computing it here (a helper that died). */
const CHUNK_WAIT_MS = 5_000;

/** What a helper thread is given: the columns, the chunk seeds, and the shared control and output. */
export interface HelperJob {
  input: Omit<ResampleInput, 'rng'>;
  seeds: Uint32Array;
  /** Int32: [next chunk to claim, done flag per chunk…, chunks done by helpers]. */
  control: SharedArrayBuffer;
  /** Float64: metric m's replicates at [m·resamples, (m+1)·resamples). */
  diffs: SharedArrayBuffer;
}

export interface ParallelResampleOutput extends ResampleOutput {
  /** Chunks computed by helper threads (0 when the work was too small or no helper could start). */
  helperChunks: number;
}

/**
 * The fused bootstrap on up to `threads` threads. Resamples come in fixed chunks, each with its
 * own seed drawn in order from `input.rng` (see resample.ts), and threads claim chunks from a
 * shared counter — so the replicates are bit-identical to the single-threaded ones whatever the
 * number of threads or who ran what. The calling thread works too and never waits on a helper
 * that has not started: it simply claims the remaining chunks itself.
 */
export function resampleDifferencesParallel(input: ResampleInput, threads: number): ParallelResampleOutput {
  const cases = Object.values(input.candidate)[0]?.length ?? 0;
  const entry = threads > 1 && cases * input.resamples >= PARALLEL_WORK ? workerEntry(import.meta.url, 'resample-worker') : undefined;
  if (!entry) return { ...resampleDifferences(input), helperChunks: 0 };

  const seeds = chunkSeeds(input.rng, input.resamples);
  const k = input.metrics.length;
  const control = new SharedArrayBuffer(4 * (seeds.length + 2));
  const diffsBuffer = new SharedArrayBuffer(8 * k * input.resamples);
  const { rng: _rng, ...rest } = input;
  const job: HelperJob = { input: rest, seeds, control, diffs: diffsBuffer };
  // Started first, so their startup overlaps with this thread's own planning.
  // At least two chunks per thread, or a helper would mostly start up for nothing.
  const helperCount = Math.max(0, Math.min(threads - 1, MAX_HELPERS, Math.floor(seeds.length / 2) - 1));
  const helpers = Array.from({ length: helperCount }, () => {
    const w = new Worker(entry.filename, { eval: entry.eval, workerData: job });
    w.on('error', () => {}); // a helper that fails leaves its chunks unclaimed; this thread runs them
    w.unref();
    return w;
  });
  try {
    const plan = planResampling(input);
    const flags = new Int32Array(control);
    const diffs = diffViews(diffsBuffer, k, input.resamples);
    claimChunks(plan, seeds, flags, diffs, input.resamples, false);
    for (let j = 0; j < seeds.length; j++) {
      if (Atomics.load(flags, 1 + j) === 1) continue;
      Atomics.wait(flags, 1 + j, 0, CHUNK_WAIT_MS);
      if (Atomics.load(flags, 1 + j) !== 1) runChunk(plan, seeds, j, diffs, input.resamples);
    }
    return { candidate: plan.candidate, baseline: plan.baseline, diffs, helperChunks: Atomics.load(flags, 1 + seeds.length) };
  } finally {
    for (const w of helpers) void w.terminate();
  }
}

export function diffViews(buffer: SharedArrayBuffer, metrics: number, resamples: number): Float64Array[] {
  return Array.from({ length: metrics }, (_, m) => new Float64Array(buffer, 8 * m * resamples, resamples));
}

/** Claims and runs chunks until none is left; marks each done and wakes a waiting thread. */
export function claimChunks(plan: ResamplePlan, seeds: Uint32Array, flags: Int32Array, diffs: Float64Array[], resamples: number, helper: boolean): void {
  for (;;) {
    const j = Atomics.add(flags, 0, 1);
    if (j >= seeds.length) return;
    runChunk(plan, seeds, j, diffs, resamples);
    if (helper) Atomics.add(flags, 1 + seeds.length, 1);
    Atomics.store(flags, 1 + j, 1);
    Atomics.notify(flags, 1 + j);
  }
}
