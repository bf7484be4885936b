import { createRng, type Rng } from '../../src/stats/index.js';
import type { InProcessWindows } from '../../src/canary/in-process-windows.js';
import type { Variant } from '../../src/canary/metric-source.js';

/** How one variant behaves at a given time (for degrading a candidate mid-run). */
export interface Behaviour {
  errorRate: number;
  latencyMs: number;
  quality: number;
  hallucinationRate: number;
}
export const HEALTHY: Behaviour = { errorRate: 0.01, latencyMs: 200, quality: 0.8, hallucinationRate: 0.02 };

/**
 * Simulated live traffic for controller tests: `perSec` requests a second split by the current
 * candidate weight, each with a latency jitter of ±25%, a judged quality in {0, quality·2…}
 * (Bernoulli so variance is realistic) and hallucination flags, written into the windows.
 */
export class TrafficSim {
  private readonly rng: Rng;
  constructor(
    private readonly windows: InProcessWindows,
    private readonly deployment: string,
    private readonly perSec: number,
    seed = 7,
  ) {
    this.rng = createRng(seed);
  }

  /** Sends one second of traffic ending at `nowMs`. */
  second(nowMs: number, candidatePercent: number, behaviour: (v: Variant, atMs: number) => Behaviour): void {
    for (let i = 0; i < this.perSec; i++) {
      const atMs = nowMs - 1000 + ((i + 1) * 1000) / this.perSec;
      const variant: Variant = this.rng.next() * 100 < candidatePercent ? 'candidate' : 'baseline';
      const b = behaviour(variant, atMs);
      const ok = this.rng.next() >= b.errorRate;
      const latencyMs = b.latencyMs * (0.75 + 0.5 * this.rng.next());
      this.windows.recordRequest({ deployment: this.deployment, variant, atMs, ok, latencyMs, costUsd: 0.0002 });
      if (ok) {
        this.windows.recordJudgement({
          deployment: this.deployment, variant, atMs,
          quality: this.rng.next() < b.quality ? 1 : 0,
          hallucinated: this.rng.next() < b.hallucinationRate,
        });
      }
    }
  }
}
