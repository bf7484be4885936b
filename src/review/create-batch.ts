import { stratifiedSample } from './sample.js';
import type { ReviewStore } from './store.js';
import type { ReviewBatch, ReviewSource } from './types.js';

export interface SampleOptions {
  size: number;
  /** ISO lower bound on the logged time, or undefined for the whole log. */
  since: string | undefined;
  deployment: string | undefined;
  seed: string;
  now: Date;
  /** Batch id (injected so tests and the CLI choose how ids look). */
  batchId: string;
}

export interface SampleSummary {
  batch: ReviewBatch;
  allocation: Record<string, number>;
  unreviewable: number;
}

/**
 * Draws the sample from the source, then stores batch and items in one transaction. The whole
 * source is read (and validated) before the database is opened, so a bad log writes nothing.
 */
export function createReviewBatch(source: ReviewSource, openStore: () => ReviewStore, o: SampleOptions): SampleSummary {
  const until = o.now.toISOString();
  const sample = stratifiedSample(source.responses({ since: o.since, until, deployment: o.deployment }), o.size, o.seed);
  const batch: Omit<ReviewBatch, 'itemCount'> = {
    id: o.batchId,
    createdAt: until,
    source: source.description,
    since: o.since ?? null,
    until,
    deployment: o.deployment ?? null,
    seed: o.seed,
    requestedSize: o.size,
    population: sample.population,
  };
  if (sample.items.length > 0) {
    // Opened only now: an empty or invalid log leaves no database behind.
    const store = openStore();
    try {
      store.createBatch(batch, sample.items);
    } finally {
      store.db.close();
    }
  }
  return { batch: { ...batch, itemCount: sample.items.length }, allocation: sample.allocation, unreviewable: sample.unreviewable };
}
