import type { CanaryStore, TrafficControl } from './ports.js';
import type { CanaryEvent, CanaryState } from './state.js';

/** Traffic control kept in memory: weights, mirror and events per deployment. */
export class MemoryTrafficControl implements TrafficControl {
  readonly weights = new Map<string, Record<string, number>>();
  readonly mirrors = new Map<string, string | null>();
  readonly events: CanaryEvent[] = [];
  constructor(private readonly baselines: Record<string, string>) {}

  addCandidate(deployment: string, candidate: string): { baseline: string } {
    const baseline = this.baselines[deployment];
    if (baseline === undefined) throw new Error(`unknown deployment ${deployment}`);
    this.weights.set(deployment, { [baseline]: 100, [candidate]: 0 });
    return { baseline };
  }
  setCandidateWeight(deployment: string, candidate: string, percent: number): void {
    this.weights.set(deployment, { [this.baselines[deployment]!]: 100 - percent, [candidate]: percent });
  }
  setMirror(deployment: string, candidate: string | null): void {
    this.mirrors.set(deployment, candidate);
  }
  rollback(deployment: string): void {
    const w = this.weights.get(deployment) ?? {};
    this.weights.set(deployment, Object.fromEntries(Object.keys(w).map((k) => [k, k === this.baselines[deployment] ? 100 : 0])));
    this.mirrors.set(deployment, null);
  }
  promote(deployment: string, candidate: string): void {
    this.weights.set(deployment, { [this.baselines[deployment]!]: 0, [candidate]: 100 });
  }
  recordEvent(event: CanaryEvent): void {
    this.events.push(event);
  }
}

export class MemoryCanaryStore implements CanaryStore {
  private readonly rows = new Map<string, string>();
  loadAll(): CanaryState[] {
    return [...this.rows.values()].map((r) => JSON.parse(r) as CanaryState);
  }
  save(state: CanaryState): void {
    this.rows.set(state.deployment, JSON.stringify(state));
  }
}
