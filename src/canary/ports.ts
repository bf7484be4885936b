import type { CanaryEvent, CanaryState } from './state.js';

/**
 * What the canary controller needs from the gateway's control plane. `registry-traffic.ts`
 * adapts the gateway's DeploymentRegistry; `memory-traffic.ts` is the embedded implementation
 * used when no gateway runs in-process (and by the controller's tests).
 */
export interface TrafficControl {
  /**
   * Brings the candidate in at 0% and returns the name of the current baseline variant. Refused
   * while another candidate has traffic: the canary compares its candidate with the baseline alone.
   */
  addCandidate(deployment: string, candidate: string): { baseline: string };
  setCandidateWeight(deployment: string, candidate: string, percent: number, reason: string): void;
  /** Shadow stage: mirror live requests to the candidate without returning its answers. */
  setMirror(deployment: string, candidate: string | null): void;
  /**
   * All traffic to the current baseline at once (never a warm former one), and the candidate,
   * now at 0%, leaves the deployment.
   */
  rollback(deployment: string, candidate: string, reason: string): void;
  /**
   * The candidate becomes the baseline; the old one is kept warm for `keepWarmMs` (the plan's
   * keep-warm time); other candidates (all at 0% after the promote) leave the deployment.
   */
  promote(deployment: string, candidate: string, reason: string, keepWarmMs: number): void;
  /** Appends to the gateway's event log (GET /admin/events). */
  recordEvent(event: CanaryEvent): void;
  /** What the deployment routes now (percent per variant), undefined for an unknown deployment. */
  layout(deployment: string): TrafficLayout | undefined;
  /**
   * Calls `listener` when someone other than the canary controller (an operator, an A/B
   * experiment) promotes, rolls back, changes weights or repoints a variant. Returns an unsubscribe.
   */
  onOutsideChange(listener: (change: OutsideChange) => void): () => void;
}

export interface TrafficLayout {
  baseline: string;
  variants: Array<{ name: string; role: 'baseline' | 'candidate' | 'warm'; weight: number }>;
}

export interface OutsideChange {
  deployment: string;
  kind: 'promote' | 'rollback' | 'weights' | 'variant';
  actor: string;
  atMs: number;
  reason?: string | undefined;
  /** For `variant`: the variant added or repointed. */
  variant?: string | undefined;
}

/** Canary state survives a restart: one row per deployment, written on every transition. */
export interface CanaryStore {
  loadAll(): CanaryState[];
  save(state: CanaryState): void;
}
