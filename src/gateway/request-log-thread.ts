/** A request-log sink that hands batches to a writer thread (request-log-worker.ts). */
import { Worker } from 'node:worker_threads';
import type { WorkerEntry } from '../util/worker-entry.js';
import type { FeedbackRow, LogRow, RequestLogSink, SinkErrorHandler } from './request-log-sink.js';

export type WriterMessage = { type: 'batch'; rows: LogRow[]; feedback: FeedbackRow[] } | { type: 'close' };
export type WriterReply = { type: 'error'; message: string; rows: number } | { type: 'closed' };

export class ThreadRequestLogSink implements RequestLogSink {
  private readonly worker: Worker;
  private closed: Promise<void> | undefined;
  private exited = false;

  constructor(file: string, entry: WorkerEntry, private readonly onError: SinkErrorHandler) {
    this.worker = new Worker(entry.filename, { eval: entry.eval, workerData: { file } });
    this.worker.unref();
    this.worker.on('message', (m: WriterReply) => {
      if (m.type === 'error') this.onError(new Error(m.message), m.rows);
    });
    this.worker.on('error', (err) => this.onError(err instanceof Error ? err : new Error(String(err)))); // batches not yet written are lost
    this.worker.once('exit', () => { this.exited = true; });
  }

  write(rows: LogRow[], feedback: FeedbackRow[]): void {
    if (this.exited) {
      this.onError(new Error('the request log writer thread has stopped'), rows.length + feedback.length);
      return;
    }
    this.worker.postMessage({ type: 'batch', rows, feedback } satisfies WriterMessage);
  }

  /** Messages are handled in order, so 'closed' comes after every batch was written. */
  close(): Promise<void> {
    this.closed ??= this.exited ? Promise.resolve() : new Promise<void>((resolve) => {
      this.worker.ref();
      const done = () => { this.exited = true; resolve(); };
      this.worker.on('message', (m: WriterReply) => { if (m.type === 'closed') done(); });
      this.worker.once('exit', done);
      this.worker.postMessage({ type: 'close' } satisfies WriterMessage);
    });
    return this.closed;
  }
}
