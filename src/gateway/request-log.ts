/**
 * The request log in SQLite (table request_log, schema in state-store.ts), read by online
 * evaluation, human review (src/review/sources/gateway-log.ts) and cost reports. Rows are
 * queued by the request path and written in one transaction per batch on a timer, so the
 * request path never waits for the disk. Sampling is deterministic by request id; with
 * `redactContent` the messages, answer and context are not stored at all.
 */
import type { Db } from '../store/open.js';
import type { FeedbackEvent, RequestCompletedEvent } from './events.js';
import { hash32 } from './split.js';

export interface RequestLogSettings {
  sampleRate: number;
  redactContent: boolean;
  flushIntervalMs?: number;
  maxBatch?: number;
}

type Row = [string, string, string, string, string, string | null, string, string, number, string, string | null, number, number, string | null, string | null, string | null, number, number | null, number, number, number];

export class RequestLogWriter {
  private queue: Row[] = [];
  private feedbackQueue: FeedbackEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly insert;
  private readonly insertFeedback;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  /** Rows written so far (for tests and /admin stats). */
  written = 0;

  constructor(private readonly db: Db, private readonly settings: RequestLogSettings) {
    this.insert = db.prepare(`INSERT OR REPLACE INTO request_log (request_id, time, deployment, variant, upstream, tier, tenant, user_hash, status, outcome, error_kind,
      stream, cached, request_messages, response_text, context, latency_ms, ttft_ms, input_tokens, output_tokens, cost_usd)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertFeedback = db.prepare('INSERT INTO request_feedback (request_id, time, rating, comment, tenant, deployment, variant) VALUES (?, ?, ?, ?, ?, ?, ?)');
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
    this.feedbackQueue.push(this.settings.redactContent ? { ...f, comment: undefined } : f);
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

  /** Writes everything queued in one transaction. */
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
    this.db.transaction(() => {
      for (const r of rows) this.insert.run(...r);
      for (const f of fb) this.insertFeedback.run(f.requestId, new Date(f.time).toISOString(), f.rating, f.comment ?? null, f.tenant, f.deployment ?? null, f.variant ?? null);
    })();
    this.written += rows.length;
  }

  close(): void {
    this.flush();
  }
}
