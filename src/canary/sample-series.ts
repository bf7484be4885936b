/**
 * Timestamped numeric samples in arrival order, trimmed from the front once older than the
 * longest window. Append and trim are amortised O(1); a window is found by binary search.
 */
export class SampleSeries {
  private times: number[] = [];
  private values: number[] = [];
  private head = 0;

  push(atMs: number, value: number): void {
    // Clocks can step back a little across sources; keep times monotonic so binary search holds.
    const last = this.times.length > this.head ? this.times[this.times.length - 1]! : -Infinity;
    this.times.push(Math.max(atMs, last));
    this.values.push(value);
  }

  /** Drops samples at or before `cutoffMs`. */
  trim(cutoffMs: number): void {
    this.head = this.firstAfter(cutoffMs);
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }

  /** Index of the first sample strictly after `t`. */
  private firstAfter(t: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Sets the value of one sample stored at exactly `atMs` whose value is `from` to `to`; false
   * when there is none (already trimmed, or stored later because the clock stepped back).
   */
  replace(atMs: number, from: number, to: number): boolean {
    for (let i = this.firstAfter(atMs - 1); i < this.times.length && this.times[i]! <= atMs; i++) {
      if (this.times[i] === atMs && this.values[i] === from) {
        this.values[i] = to;
        return true;
      }
    }
    return false;
  }

  /** Visits the samples in (fromMs, toMs]. */
  forEachIn(fromMs: number, toMs: number, fn: (value: number) => void): void {
    for (let i = this.firstAfter(fromMs); i < this.times.length && this.times[i]! <= toMs; i++) fn(this.values[i]!);
  }

  get size(): number {
    return this.times.length - this.head;
  }
}
