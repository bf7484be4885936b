/** Bounds in-flight work and gives the producer backpressure, so 100k cases never queue at once. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly capacity: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.capacity) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }

  /** Resolves when nothing holds a slot. */
  async drain(): Promise<void> {
    while (this.active > 0 || this.waiters.length > 0) await new Promise((r) => setTimeout(r, 5));
  }
}
