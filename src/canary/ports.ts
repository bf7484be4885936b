import type { CanaryEvent, CanaryState } from './state.js';

/**
 * What the canary controller needs from the gateway's control plane. `registry-traffic.ts`
 * adapts the gateway's DeploymentRegistry; `memory-traffic.ts` is the embedded implementation
 * used when no gateway runs in-process (and by the controller's tests).
 */
export interface TrafficControl {
  /** Brings the candidate in at 0% and returns the name of the current baseline variant. */
  addCandidate(deployment: string, candidate: string): { baseline: string };
  setCandidateWeight(deployment: string, candidate: string, percent: number, reason: string): void;
  /** Shadow stage: mirror live requests to the candidate without returning its answers. */
  setMirror(deployment: string, candidate: string | null): void;
  /** All traffic to the baseline at once. */
  rollback(deployment: string, reason: string): void;
  /** The candidate becomes the baseline; the old one is kept warm. */
  promote(deployment: string, candidate: string, reason: string): void;
  /** Appends to the gateway's event log (GET /admin/events). */
  recordEvent(event: CanaryEvent): void;
}

/** Canary state survives a restart: one row per deployment, written on every transition. */
export interface CanaryStore {
  loadAll(): CanaryState[];
  save(state: CanaryState): void;
}
