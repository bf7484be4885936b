/** Where the request log's batches go: SQLite on this thread, or a writer thread (see request-log.ts). */

/** One request_log row, in column order (see request-log-sqlite.ts). */
export type LogRow = [
  requestId: string, time: string, deployment: string, variant: string, upstream: string, tier: string | null, tenant: string, userHash: string,
  status: number, outcome: string, errorKind: string | null, stream: number, cached: number,
  requestMessages: string | null, responseText: string | null, context: string | null,
  latencyMs: number, ttftMs: number | null, inputTokens: number, outputTokens: number, costUsd: number,
];

/** One request_feedback row, in column order. */
export type FeedbackRow = [requestId: string, time: string, rating: string, comment: string | null, tenant: string, deployment: string | null, variant: string | null];

export interface RequestLogSink {
  /** Takes one batch; writes it in one transaction, now or on another thread. */
  write(rows: LogRow[], feedback: FeedbackRow[]): void;
  /** Resolves once every batch given so far is on disk (or reported failed). */
  close(): Promise<void>;
}

/** Called when a batch could not be written: the request log is best-effort, the gateway goes on. */
export type SinkErrorHandler = (err: Error, rows?: number) => void;
