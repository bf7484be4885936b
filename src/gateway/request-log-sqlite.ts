/** The request log's SQL, and the sink that runs it on the calling thread (also the writer thread's core). */
import type { Db } from '../store/open.js';
import type { FeedbackRow, LogRow, RequestLogSink, SinkErrorHandler } from './request-log-sink.js';

/** Prepares the inserts and returns a writer of one batch per transaction. */
function batchWriter(db: Db): (rows: LogRow[], feedback: FeedbackRow[]) => void {
  const insert = db.prepare(`INSERT OR REPLACE INTO request_log (request_id, time, deployment, variant, upstream, tier, tenant, user_hash, status, outcome, error_kind,
    stream, cached, request_messages, response_text, context, latency_ms, ttft_ms, input_tokens, output_tokens, cost_usd)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertFeedback = db.prepare('INSERT INTO request_feedback (request_id, time, rating, comment, tenant, deployment, variant) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return db.transaction((rows: LogRow[], feedback: FeedbackRow[]) => {
    for (const r of rows) insert.run(...r);
    for (const f of feedback) insertFeedback.run(...f);
  });
}

/**
 * Writes each batch at once on the thread that holds `db`: the writer thread's core, and the
 * sink itself for in-memory databases or where no writer thread can start. The statements are
 * prepared on first use, and again after a failure (e.g. the tables were not there yet).
 */
export class SqliteRequestLogSink implements RequestLogSink {
  private writeBatch: ReturnType<typeof batchWriter> | undefined;
  constructor(private readonly db: Db, private readonly onError: SinkErrorHandler) {}

  write(rows: LogRow[], feedback: FeedbackRow[]): void {
    try {
      this.writeBatch ??= batchWriter(this.db);
      this.writeBatch(rows, feedback);
    } catch (err) {
      this.writeBatch = undefined;
      this.onError(err as Error, rows.length + feedback.length);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
