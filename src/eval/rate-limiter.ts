import { sleep } from './retry.js';

/**
 * Requests-per-minute and tokens-per-minute limits as token buckets that refill continuously.
 * `reserve` returns how long to wait; it books the capacity immediately so concurrent callers
 * queue fairly instead of all waking at once.
 */
export class RateLimiter {
  private reqTokens: number;
  private tokTokens: number;
  private last: number;
  constructor(
    private readonly rpm: number | undefined,
    private readonly tpm: number | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.reqTokens = rpm ?? 0;
    this.tokTokens = tpm ?? 0;
    this.last = now();
  }

  get limited(): boolean {
    return this.rpm !== undefined || this.tpm !== undefined;
  }

  private refill(): void {
    const t = this.now();
    const minutes = (t - this.last) / 60_000;
    this.last = t;
    if (this.rpm !== undefined) this.reqTokens = Math.min(this.rpm, this.reqTokens + minutes * this.rpm);
    if (this.tpm !== undefined) this.tokTokens = Math.min(this.tpm, this.tokTokens + minutes * this.tpm);
  }

  /** Books one request of ~`tokens` tokens; returns the wait in ms before it may be sent. */
  reserve(tokens: number): number {
    this.refill();
    let wait = 0;
    if (this.rpm !== undefined) {
      this.reqTokens -= 1;
      if (this.reqTokens < 0) wait = Math.max(wait, (-this.reqTokens / this.rpm) * 60_000);
    }
    if (this.tpm !== undefined) {
      // A request larger than the whole bucket still goes, once the bucket is full.
      this.tokTokens -= Math.min(tokens, this.tpm);
      if (this.tokTokens < 0) wait = Math.max(wait, (-this.tokTokens / this.tpm) * 60_000);
    }
    return wait;
  }

  async acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    if (!this.limited) return;
    await sleep(this.reserve(tokens), signal);
  }
}
