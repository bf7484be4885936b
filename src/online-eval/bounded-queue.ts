/**
 * A bounded work queue drained by a fixed number of async workers. `offer` is synchronous and
 * O(1), never waits and never throws: when the queue is full the item is dropped and counted.
 * That is what keeps online evaluation off the request path.
 */
export class BoundedQueue<T> {
  private readonly items: Array<T | undefined>;
  private head = 0;
  private length = 0;
  private running = 0;
  dropped = 0;
  processed = 0;
  failed = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly capacity: number,
    private readonly concurrency: number,
    private readonly work: (item: T) => Promise<void>,
    private readonly onDrop: () => void = () => {},
    private readonly onFailure: (err: unknown) => void = () => {},
  ) {
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  offer(item: T): boolean {
    if (this.length >= this.capacity) {
      this.dropped++;
      this.onDrop();
      return false;
    }
    this.items[(this.head + this.length) % this.capacity] = item;
    this.length++;
    if (this.running < this.concurrency) {
      this.running++;
      // Start the worker after the caller's turn: the request path only pays for the push.
      setImmediate(() => void this.drain());
    }
    return true;
  }

  private take(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.length--;
    return item;
  }

  private async drain(): Promise<void> {
    for (let item = this.take(); item !== undefined; item = this.take()) {
      try {
        await this.work(item);
        this.processed++;
      } catch (err) {
        this.failed++;
        this.onFailure(err);
      }
    }
    this.running--;
    if (this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
