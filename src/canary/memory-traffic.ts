import type { CanaryStore, OutsideChange, TrafficControl, TrafficLayout } from './ports.js';
import type { CanaryEvent, CanaryState } from './state.js';

/**
 * Traffic control kept in memory: weights, mirror and events per deployment. `outside` stands
 * for an operator acting on the deployment behind the canary's back.
 */
export class MemoryTrafficControl implements TrafficControl {
  readonly weights = new Map<string, Record<string, number>>();
  readonly mirrors = new Map<string, string | null>();
  readonly events: CanaryEvent[] = [];
  /** Former baselines kept warm after a promote, per deployment. */
  private readonly warm = new Map<string, string>();
  private readonly listeners = new Set<(c: OutsideChange) => void>();
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
  rollback(deployment: string, candidate: string): void {
    const w = this.weights.get(deployment) ?? {};
    this.weights.set(deployment, Object.fromEntries(Object.keys(w).filter((k) => k !== candidate).map((k) => [k, k === this.baselines[deployment] ? 100 : 0])));
    this.mirrors.set(deployment, null);
  }
  promote(deployment: string, candidate: string): void {
    const old = this.baselines[deployment]!;
    this.weights.set(deployment, { [old]: 0, [candidate]: 100 });
    this.warm.set(deployment, old);
    this.baselines[deployment] = candidate;
  }
  recordEvent(event: CanaryEvent): void {
    this.events.push(event);
  }
  layout(deployment: string): TrafficLayout | undefined {
    // Nothing known before the first change: a fresh process has no layout to compare with.
    const baseline = this.baselines[deployment];
    const w = this.weights.get(deployment);
    if (baseline === undefined || w === undefined) return undefined;
    const role = (n: string) => (n === baseline ? 'baseline' : n === this.warm.get(deployment) ? 'warm' : 'candidate');
    return { baseline, variants: Object.entries(w).map(([name, weight]) => ({ name, role: role(name), weight })) };
  }
  onOutsideChange(listener: (change: OutsideChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Someone else changed the deployment: `weights` (and `baseline`) become what it routes now. */
  outside(change: OutsideChange, weights?: Record<string, number>, baseline?: string): void {
    if (weights) this.weights.set(change.deployment, weights);
    if (baseline) this.baselines[change.deployment] = baseline;
    for (const l of this.listeners) l(change);
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
