import type { Db, Migration } from '../store/index.js';
import type { Dimension, Grade, ReviewBatch, ReviewItem } from './types.js';

export const REVIEW_COMPONENT = 'review';

/** Append-only: never edit a released step, add a new one. */
export const reviewMigrations: Migration[] = [
  {
    version: 1,
    description: 'review batches, sampled items and per-reviewer grades',
    sql: `
      CREATE TABLE review_batches (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        source TEXT NOT NULL,
        since TEXT,
        until TEXT NOT NULL,
        deployment TEXT,
        seed TEXT NOT NULL,
        requested_size INTEGER NOT NULL,
        population_json TEXT NOT NULL
      );
      CREATE TABLE review_items (
        batch_id TEXT NOT NULL REFERENCES review_batches(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        request_id TEXT NOT NULL,
        time TEXT NOT NULL,
        deployment TEXT NOT NULL,
        variant TEXT NOT NULL,
        response_json TEXT NOT NULL,
        PRIMARY KEY (batch_id, request_id),
        UNIQUE (batch_id, position)
      );
      CREATE INDEX review_items_time ON review_items(time);
      CREATE TABLE review_grades (
        batch_id TEXT NOT NULL,
        request_id TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        accuracy INTEGER CHECK (accuracy BETWEEN 1 AND 5),
        helpfulness INTEGER CHECK (helpfulness BETWEEN 1 AND 5),
        safety INTEGER CHECK (safety BETWEEN 1 AND 5),
        corrected_answer TEXT,
        note TEXT,
        graded_at TEXT NOT NULL,
        PRIMARY KEY (batch_id, request_id, reviewer),
        FOREIGN KEY (batch_id, request_id) REFERENCES review_items(batch_id, request_id) ON DELETE CASCADE
      );
    `,
  },
];

interface BatchRow {
  id: string;
  created_at: string;
  source: string;
  since: string | null;
  until: string;
  deployment: string | null;
  seed: string;
  requested_size: number;
  population_json: string;
  item_count: number;
}

interface GradeRow {
  batch_id: string;
  request_id: string;
  reviewer: string;
  accuracy: number | null;
  helpfulness: number | null;
  safety: number | null;
  corrected_answer: string | null;
  note: string | null;
  graded_at: string;
}

const toBatch = (r: BatchRow): ReviewBatch => ({
  id: r.id,
  createdAt: r.created_at,
  source: r.source,
  since: r.since,
  until: r.until,
  deployment: r.deployment,
  seed: r.seed,
  requestedSize: r.requested_size,
  population: JSON.parse(r.population_json) as Record<string, number>,
  itemCount: r.item_count,
});

const toGrade = (r: GradeRow): Grade => ({
  batchId: r.batch_id,
  requestId: r.request_id,
  reviewer: r.reviewer,
  scores: r.accuracy === null || r.helpfulness === null || r.safety === null ? null : { accuracy: r.accuracy, helpfulness: r.helpfulness, safety: r.safety },
  correctedAnswer: r.corrected_answer,
  note: r.note,
  gradedAt: r.graded_at,
});

const BATCH_SELECT = `SELECT b.*, (SELECT count(*) FROM review_items i WHERE i.batch_id = b.id) AS item_count FROM review_batches b`;

/** Review batches, their items and grades in the llmops database (tables owned by this module). */
export class ReviewStore {
  constructor(readonly db: Db) {}

  createBatch(batch: Omit<ReviewBatch, 'itemCount'>, items: ReadonlyArray<ReviewItem['response']>): void {
    const insertBatch = this.db.prepare(
      'INSERT INTO review_batches (id, created_at, source, since, until, deployment, seed, requested_size, population_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertItem = this.db.prepare('INSERT INTO review_items (batch_id, position, request_id, time, deployment, variant, response_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      insertBatch.run(batch.id, batch.createdAt, batch.source, batch.since, batch.until, batch.deployment, batch.seed, batch.requestedSize, JSON.stringify(batch.population));
      items.forEach((r, i) => insertItem.run(batch.id, i + 1, r.requestId, r.time, r.deployment, r.variant, JSON.stringify(r)));
    })();
  }

  listBatches(): ReviewBatch[] {
    return (this.db.prepare(`${BATCH_SELECT} ORDER BY b.created_at DESC, b.id DESC`).all() as BatchRow[]).map(toBatch);
  }

  /** A batch by id or unique id prefix; the newest batch when `ref` is undefined. */
  findBatch(ref: string | undefined): ReviewBatch | 'ambiguous' | undefined {
    if (ref === undefined) {
      const row = this.db.prepare(`${BATCH_SELECT} ORDER BY b.created_at DESC, b.id DESC LIMIT 1`).get() as BatchRow | undefined;
      return row && toBatch(row);
    }
    const rows = this.db.prepare(`${BATCH_SELECT} WHERE b.id = ? OR b.id LIKE ? ESCAPE '\\' LIMIT 2`).all(ref, `${ref.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as BatchRow[];
    const exact = rows.find((r) => r.id === ref);
    if (exact) return toBatch(exact);
    if (rows.length > 1) return 'ambiguous';
    return rows[0] && toBatch(rows[0]);
  }

  items(batchId: string): ReviewItem[] {
    const rows = this.db.prepare('SELECT position, response_json FROM review_items WHERE batch_id = ? ORDER BY position').all(batchId) as Array<{ position: number; response_json: string }>;
    return rows.map((r) => ({ batchId, position: r.position, response: JSON.parse(r.response_json) as ReviewItem['response'] }));
  }

  /** Items of every batch whose logged time is in [since, until), each once (latest batch wins). */
  itemsInWindow(since: string, until: string): ReviewItem[] {
    const rows = this.db
      .prepare(
        `SELECT i.batch_id, i.position, i.request_id, i.response_json FROM review_items i JOIN review_batches b ON b.id = i.batch_id
         WHERE i.time >= ? AND i.time < ? ORDER BY i.time, i.request_id, b.created_at, b.id`,
      )
      .all(since, until) as Array<{ batch_id: string; position: number; request_id: string; response_json: string }>;
    const byRequest = new Map<string, ReviewItem>();
    for (const r of rows) byRequest.set(r.request_id, { batchId: r.batch_id, position: r.position, response: JSON.parse(r.response_json) as ReviewItem['response'] });
    return [...byRequest.values()];
  }

  grades(batchId: string): Grade[] {
    return (this.db.prepare('SELECT * FROM review_grades WHERE batch_id = ? ORDER BY request_id, graded_at, reviewer').all(batchId) as GradeRow[]).map(toGrade);
  }

  gradesFor(batchIds: ReadonlyArray<string>): Grade[] {
    return batchIds.flatMap((id) => this.grades(id));
  }

  /** Request ids this reviewer has graded or skipped in the batch (what resuming skips). */
  doneBy(batchId: string, reviewer: string): Set<string> {
    const rows = this.db.prepare('SELECT request_id FROM review_grades WHERE batch_id = ? AND reviewer = ?').all(batchId, reviewer) as Array<{ request_id: string }>;
    return new Set(rows.map((r) => r.request_id));
  }

  /** Saves one grade (or a skip, with null scores) at once: quitting never loses a graded item. */
  saveGrade(g: { batchId: string; requestId: string; reviewer: string; scores: Record<Dimension, number> | null; correctedAnswer: string | null; note: string | null; gradedAt: string }): void {
    this.db
      .prepare(
        `INSERT INTO review_grades (batch_id, request_id, reviewer, accuracy, helpfulness, safety, corrected_answer, note, graded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (batch_id, request_id, reviewer) DO UPDATE SET accuracy = excluded.accuracy, helpfulness = excluded.helpfulness,
           safety = excluded.safety, corrected_answer = excluded.corrected_answer, note = excluded.note, graded_at = excluded.graded_at`,
      )
      .run(g.batchId, g.requestId, g.reviewer, g.scores?.accuracy ?? null, g.scores?.helpfulness ?? null, g.scores?.safety ?? null, g.correctedAnswer, g.note, g.gradedAt);
  }
}

