import type { RunStore } from '../store/run-store.js';
import type { ResultRecord } from '../store/types.js';

/**
 * Commits results in small transactions, by count or after a short delay, whichever first: a
 * transaction per result would cap throughput at the disk's fsync rate, and a large batch
 * would lose more on SIGKILL.
 */
export class ResultWriter {
  private buffer: ResultRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly store: RunStore,
    private readonly maxBatch = 256,
    private readonly maxDelayMs = 100,
  ) {}

  add(r: ResultRecord): void {
    this.buffer.push(r);
    if (this.buffer.length >= this.maxBatch) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.store.writeResults(batch);
  }

  close(): void {
    this.flush();
  }
}
