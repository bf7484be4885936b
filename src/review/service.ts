import { randomBytes } from 'node:crypto';
import { NotFoundError, UsageError } from '../errors.js';
import { openDatabase, type Db } from '../store/index.js';
import { consolidate } from './consolidate.js';
import { createReviewBatch, type SampleSummary } from './create-batch.js';
import { buildReport, type ReviewReport } from './report.js';
import { openReviewSource } from './sources/index.js';
import { REVIEW_COMPONENT, ReviewStore, reviewMigrations } from './store.js';
import { openSuiteTarget, suiteWrites, writeSuite } from './suite-files.js';
import { planCases, type CasePlan } from './to-cases.js';
import { planLabels, type LabelLine } from './to-labels.js';
import type { Dimension, ReviewBatch } from './types.js';
import { writeFileAtomically } from '../report/atomic-write.js';
import { assertWritable } from '../util/writable.js';

/** Orchestration of the review commands: validate every input first, then open the DB and write. */

export function openReviewStore(dbPath: string): ReviewStore {
  return new ReviewStore(openDatabase(dbPath, { migrations: [{ component: REVIEW_COMPONENT, steps: reviewMigrations }] }));
}

export function newBatchId(now: Date): string {
  return `rb-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
}

export function resolveBatch(store: ReviewStore, ref: string | undefined): ReviewBatch {
  const found = store.findBatch(ref);
  if (found === 'ambiguous') throw new UsageError(`Batch prefix '${ref}' matches several batches.`, 'Give more of the id (`llmops review list`).');
  if (found === undefined) {
    throw new NotFoundError(ref === undefined ? 'There is no review batch yet.' : `No review batch '${ref}'.`, ref === undefined ? 'Draw one with `llmops review sample --from <request log>`.' : 'List them with `llmops review list`.');
  }
  return found;
}

export interface SampleRequest {
  dbPath: string;
  from: string;
  size: number;
  since: string | undefined;
  deployment: string | undefined;
  seed: string | undefined;
  now: Date;
}

export async function sampleBatch(req: SampleRequest): Promise<SampleSummary> {
  const source = await openReviewSource(req.from);
  try {
    const seed = req.seed ?? randomBytes(4).toString('hex');
    const summary = createReviewBatch(source, () => openReviewStore(req.dbPath), { size: req.size, since: req.since, deployment: req.deployment, seed, now: req.now, batchId: newBatchId(req.now) });
    if (summary.batch.itemCount === 0) {
      throw new NotFoundError(
        `No reviewable response in ${source.description}${req.since ? ` since ${req.since}` : ''}${req.deployment ? ` for deployment '${req.deployment}'` : ''} (${summary.unreviewable} unreviewable: failed, redacted, empty, or fast attempts discarded for an upgrade).`,
        'Widen --since, check --deployment, or point --from at another request log.',
      );
    }
    return summary;
  } finally {
    source.close();
  }
}

export interface ExportRequest {
  dbPath: string;
  batch: string | undefined;
  to: string;
  labels: string | undefined;
  dimension: Dimension;
  judge: string | undefined;
}

export interface ExportOutcome {
  batchId: string;
  suiteFile: string;
  createdSuite: boolean;
  /** Whether the suite exists after the export (it is created only when there is a case to add). */
  suiteExists: boolean;
  plan: CasePlan;
  labels: LabelLine[];
  /** The labels file was written (only when asked and at least one graded item maps to a case). */
  labelsWritten: boolean;
}

export function exportBatch(req: ExportRequest, openDb: (path: string) => Db = (p) => openDatabase(p, { mustExist: true, migrations: [{ component: REVIEW_COMPONENT, steps: reviewMigrations }] })): ExportOutcome {
  // The suite is read and validated first: a suite we cannot append to writes nothing.
  const target = openSuiteTarget(req.to);
  const store = new ReviewStore(openDb(req.dbPath));
  try {
    const batch = resolveBatch(store, req.batch);
    // Cases are appended in logged-time order: stable across exports and easy to read.
    const items = store.items(batch.id).sort((a, b) => (a.response.time < b.response.time ? -1 : a.response.time > b.response.time ? 1 : a.response.requestId < b.response.requestId ? -1 : 1));
    const verdicts = consolidate(items, store.grades(batch.id));
    if (verdicts.every((v) => v.median === null)) {
      throw new UsageError(
        `Nothing to export: no item of batch ${batch.id} has been graded yet (${items.length} item(s); skipped ones do not count). Nothing was written.`,
        `Grade some first: llmops review grade ${batch.id}`,
      );
    }
    const plan = planCases(verdicts, target.existing);
    const labels = req.labels === undefined ? [] : planLabels(verdicts, plan.caseIds, req.dimension);
    // An empty labels file would only send `judge calibrate` after a suite with nothing to calibrate.
    const labelsFile = labels.length > 0 ? req.labels : undefined;
    // Every target is checked before the first write: an export is all or nothing.
    assertWritable([...suiteWrites(target, plan.added), ...(labelsFile === undefined ? [] : [labelsFile])]);
    writeSuite(target, plan.added, { judge: req.judge });
    if (labelsFile !== undefined) writeFileAtomically(labelsFile, (append) => labels.forEach((l) => append(`${JSON.stringify(l)}\n`)));
    const createdSuite = !target.exists && plan.added.length > 0;
    return { batchId: batch.id, suiteFile: target.suiteFile, createdSuite, suiteExists: target.exists || createdSuite, plan, labels, labelsWritten: labelsFile !== undefined };
  } finally {
    store.db.close();
  }
}

export function reportFor(store: ReviewStore, opts: { batch?: string | undefined; since?: string | undefined; now: Date; worst: number }): ReviewReport {
  if (opts.since !== undefined) {
    const until = opts.now.toISOString();
    const items = store.itemsInWindow(opts.since, until);
    const batchIds = [...new Set(items.map((i) => i.batchId))];
    const keys = new Set(items.map((i) => `${i.batchId}\u0000${i.response.requestId}`));
    const grades = store.gradesFor(batchIds).filter((g) => keys.has(`${g.batchId}\u0000${g.requestId}`));
    return buildReport(items, grades, { since: opts.since, until }, opts.worst);
  }
  const batch = resolveBatch(store, opts.batch);
  return buildReport(store.items(batch.id), store.grades(batch.id), { batchId: batch.id }, opts.worst);
}
