/**
 * Live per-variant statistics over a sliding time window (requests, errors, latency and TTFT
 * percentiles, thumbs up/down), kept in one-second slots with log-scale latency histograms so
 * memory is bounded whatever the traffic. Clock injected. This is the in-process metric source
 * the canary controller and A/B analysis read (`MetricSource`).
 */

export interface VariantWindowStats {
  requests: number;
  errors: number;
  errorRate: number;
  /** Latency percentiles in ms (approximate: log buckets 10% wide), null with no requests. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  ttftMs: { p50: number | null; p95: number | null };
  feedback: { up: number; down: number };
  windowSeconds: number;
}

/** Where rollback and A/B decisions read live numbers from (in-process now, Prometheus later). */
export interface MetricSource {
  variantStats(deployment: string, variant: string): VariantWindowStats;
}

const GROWTH = 1.1;
const MIN_MS = 0.1;
const BINS = 170; // 0.1 ms × 1.1^170 ≈ 1,100 s
const binOf = (ms: number): number => (ms <= MIN_MS ? 0 : Math.min(BINS - 1, Math.floor(Math.log(ms / MIN_MS) / Math.log(GROWTH)) + 1));
/** Geometric middle of a bin, in ms. */
const binValue = (b: number): number => (b === 0 ? MIN_MS : MIN_MS * GROWTH ** (b - 0.5));

class Slot {
  second = -1;
  requests = 0;
  errors = 0;
  up = 0;
  down = 0;
  readonly latency = new Uint32Array(BINS);
  readonly ttft = new Uint32Array(BINS);
  ttftCount = 0;
  reset(second: number): void {
    this.second = second;
    this.requests = this.errors = this.up = this.down = this.ttftCount = 0;
    this.latency.fill(0);
    this.ttft.fill(0);
  }
}

function percentile(hist: Uint32Array, total: number, q: number): number | null {
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b]!;
    if (seen >= rank) return binValue(b);
  }
  return binValue(hist.length - 1);
}

export class VariantWindow {
  private readonly slots: Slot[];
  constructor(private readonly windowSeconds: number) {
    this.slots = Array.from({ length: windowSeconds }, () => new Slot());
  }

  private slot(nowMs: number): Slot {
    const second = Math.floor(nowMs / 1000);
    const s = this.slots[second % this.windowSeconds]!;
    if (s.second !== second) s.reset(second);
    return s;
  }

  record(nowMs: number, latencyMs: number, ttftMs: number | null, error: boolean): void {
    const s = this.slot(nowMs);
    s.requests++;
    if (error) s.errors++;
    else {
      // Percentiles describe answered requests; errors are counted apart.
      s.latency[binOf(latencyMs)]!++;
      if (ttftMs !== null) {
        s.ttft[binOf(ttftMs)]!++;
        s.ttftCount++;
      }
    }
  }

  feedback(nowMs: number, rating: 'up' | 'down'): void {
    const s = this.slot(nowMs);
    if (rating === 'up') s.up++;
    else s.down++;
  }

  /** Takes back a rating counted at `atMs` (replaced by a later one); a no-op once its slot has left the window. */
  retractFeedback(atMs: number, rating: 'up' | 'down'): void {
    const second = Math.floor(atMs / 1000);
    const s = this.slots[second % this.windowSeconds]!;
    if (s.second !== second) return;
    if (rating === 'up') s.up = Math.max(0, s.up - 1);
    else s.down = Math.max(0, s.down - 1);
  }

  stats(nowMs: number): VariantWindowStats {
    const current = Math.floor(nowMs / 1000);
    const latency = new Uint32Array(BINS);
    const ttft = new Uint32Array(BINS);
    let requests = 0, errors = 0, up = 0, down = 0, ok = 0, ttftCount = 0;
    for (const s of this.slots) {
      if (s.second < 0 || current - s.second >= this.windowSeconds || s.second > current) continue;
      requests += s.requests;
      errors += s.errors;
      up += s.up;
      down += s.down;
      ttftCount += s.ttftCount;
      for (let b = 0; b < BINS; b++) {
        latency[b]! += s.latency[b]!;
        ttft[b]! += s.ttft[b]!;
      }
    }
    ok = requests - errors;
    return {
      requests, errors, errorRate: requests === 0 ? 0 : errors / requests,
      latencyMs: { p50: percentile(latency, ok, 0.5), p95: percentile(latency, ok, 0.95), p99: percentile(latency, ok, 0.99) },
      ttftMs: { p50: percentile(ttft, ttftCount, 0.5), p95: percentile(ttft, ttftCount, 0.95) },
      feedback: { up, down },
      windowSeconds: this.windowSeconds,
    };
  }
}

/** One window per (deployment, variant). */
export class LiveStats implements MetricSource {
  private readonly windows = new Map<string, VariantWindow>();
  constructor(private readonly windowSeconds: number, private readonly now: () => number = Date.now) {}

  window(deployment: string, variant: string): VariantWindow {
    const key = `${deployment}\u0000${variant}`;
    let w = this.windows.get(key);
    if (!w) {
      w = new VariantWindow(this.windowSeconds);
      this.windows.set(key, w);
    }
    return w;
  }

  variantStats(deployment: string, variant: string): VariantWindowStats {
    return this.window(deployment, variant).stats(this.now());
  }
}
