/**
 * The request log in SQLite (table request_log, schema in state-store.ts), read by online
 * evaluation, human review (src/review/sources/gateway-log.ts) and cost reports. Rows are
 * queued by the request path and handed over in batches on a timer to a sink: a writer thread
 * with its own connection when the database is a file (so neither inserts nor WAL checkpoints
 * ever pause the event loop), this thread otherwise. Sampling is deterministic by request id;
 * with `redactContent` the messages, answer and context are not stored at all.
 */
import type { Db } from '../store/open.js';
import { workerEntry } from '../util/worker-entry.js';
import type { FeedbackEvent, RequestCompletedEvent } from './events.js';
import type { FeedbackRow, LogRow, RequestLogSink, SinkErrorHandler } from './request-log-sink.js';
import { SqliteRequestLogSink } from './request-log-sqlite.js';
import { ThreadRequestLogSink } from './request-log-thread.js';
import { hash32 } from './split.js';

export interface RequestLogSettings {
  sampleRate: number;
  redactContent: boolean;
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Where batches go (default: a writer thread for a database file, else this thread). */
  sink?: RequestLogSink;
  onError?: SinkErrorHandler;
}

/** A writer thread for a database file when the built worker can start; this thread otherwise. */
export function defaultSink(db: Db, onError: SinkErrorHandler): RequestLogSink {
  const entry = db.memory ? undefined : workerEntry(import.meta.url, 'request-log-worker');
  return entry ? new ThreadRequestLogSink(db.name, entry, onError) : new SqliteRequestLogSink(db, onError);
}

export class RequestLogWriter {
  private queue: LogRow[] = [];
  private feedbackQueue: FeedbackRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly sink: RequestLogSink;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;

  constructor(db: Db, private readonly settings: RequestLogSettings) {
    this.sink = settings.sink ?? defaultSink(db, settings.onError ?? (() => {}));
    this.flushIntervalMs = settings.flushIntervalMs ?? 200;
    this.maxBatch = settings.maxBatch ?? 500;
  }

  /** Whether a request id falls in the sample (same answer on every replica). */
  sampled(requestId: string): boolean {
    if (this.settings.sampleRate >= 1) return true;
    if (this.settings.sampleRate <= 0) return false;
    return hash32(requestId) / 0x1_0000_0000 < this.settings.sampleRate;
  }

  record(e: RequestCompletedEvent): void {
    if (!this.sampled(e.requestId)) return;
    const redact = this.settings.redactContent;
    this.queue.push([
      e.requestId, new Date(e.time).toISOString(), e.deployment, e.variant, e.upstream, e.tier ?? null, e.tenant, e.userHash, e.status, e.outcome, e.errorKind ?? null,
      e.stream ? 1 : 0, e.cached ? 1 : 0,
      redact ? null : JSON.stringify(e.messages), redact ? null : e.responseText, redact ? null : (e.context ?? null),
      e.latencyMs, e.ttftMs, e.inputTokens, e.outputTokens, e.costUsd,
    ]);
    this.schedule();
  }

  recordFeedback(f: FeedbackEvent): void {
    const comment = this.settings.redactContent ? null : (f.comment ?? null);
    this.feedbackQueue.push([f.requestId, new Date(f.time).toISOString(), f.rating, comment, f.tenant, f.deployment ?? null, f.variant ?? null]);
    this.schedule();
  }

  private schedule(): void {
    if (this.queue.length + this.feedbackQueue.length >= this.maxBatch) {
      this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Hands everything queued to the sink as one batch. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.queue.length === 0 && this.feedbackQueue.length === 0) return;
    const rows = this.queue;
    const fb = this.feedbackQueue;
    this.queue = [];
    this.feedbackQueue = [];
    this.sink.write(rows, fb);
  }

  /** Flushes and resolves once every row is written. */
  close(): Promise<void> {
    this.flush();
    return this.sink.close();
  }
}
