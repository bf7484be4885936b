import type { CanaryPlan } from './plan.js';
import type { SequentialErrorState } from './sequential-error-test.js';
import type { Evidence } from './triggers.js';

/**
 * shadow: the candidate answers a mirrored copy of live traffic, never returned to users.
 * stage: the candidate serves plan.stages[stageIndex].weight % of live traffic.
 * completed: promoted to 100%, the baseline kept warm until warmUntilMs.
 * rolled_back (automatic trigger or operator) and aborted (operator): all traffic on the baseline.
 * aborted is also how a canary ends when someone else promotes, rolls back or reweights its
 * deployment; then the traffic is theirs and the canary leaves it alone.
 * The last three are final: no action applies to them any more.
 */
export type CanaryPhase = 'shadow' | 'stage' | 'completed' | 'rolled_back' | 'aborted';

export interface CanaryState {
  deployment: string;
  baseline: string;
  candidate: string;
  plan: CanaryPlan;
  phase: CanaryPhase;
  stageIndex: number;
  paused: boolean;
  startedAtMs: number;
  stageStartedAtMs: number;
  /** Paused time accumulated in the current stage (not counted towards its duration). */
  pausedTotalMs: number;
  pausedAtMs: number | null;
  endedAtMs: number | null;
  warmUntilMs: number | null;
  reason: string | null;
  /** The error-rate test's accumulated evidence (absent until the first evaluation). */
  errorTest?: SequentialErrorState;
}

/**
 * `baseline_surge` / `baseline_recovered` change nothing: they tell on-call that the baseline's own
 * errors surged (a shared outage), so the error trigger is judging the candidate against that.
 */
export type CanaryEventKind = 'started' | 'advanced' | 'paused' | 'resumed' | 'aborted' | 'rolled_back' | 'completed' | 'baseline_surge' | 'baseline_recovered';

export interface CanaryEvent {
  atMs: number;
  deployment: string;
  kind: CanaryEventKind;
  message: string;
  /** Who asked for it, for operator actions (the admin API's actor); the controller's own otherwise. */
  actor?: string;
  /** For rollbacks: the breached metric first, then the rest of the evaluation. */
  evidence?: Evidence[];
}

export function isTerminal(s: CanaryState): boolean {
  return s.phase === 'rolled_back' || s.phase === 'aborted' || s.phase === 'completed';
}

/** Candidate share of live traffic, in percent. */
export function candidateWeight(s: CanaryState): number {
  if (s.phase === 'stage') return s.plan.stages[s.stageIndex]!.weight;
  return s.phase === 'completed' ? 100 : 0;
}

export function mirrorsTraffic(s: CanaryState): boolean {
  return s.phase === 'shadow';
}

export function stageDurationMs(s: CanaryState): number {
  if (s.phase === 'shadow') return s.plan.shadowMs;
  if (s.phase === 'stage') return s.plan.stages[s.stageIndex]!.durationMs;
  return 0;
}

/** Time spent in the current stage, not counting pauses. */
export function stageElapsedMs(s: CanaryState, nowMs: number): number {
  const pausing = s.pausedAtMs === null ? 0 : nowMs - s.pausedAtMs;
  return Math.max(0, nowMs - s.stageStartedAtMs - s.pausedTotalMs - pausing);
}

export function stageRemainingMs(s: CanaryState, nowMs: number): number {
  return Math.max(0, stageDurationMs(s) - stageElapsedMs(s, nowMs));
}

export function stageLabel(s: CanaryState): string {
  switch (s.phase) {
    case 'shadow': return 'shadow';
    case 'stage': return `${s.plan.stages[s.stageIndex]!.weight}%`;
    case 'completed': return '100% (promoted)';
    case 'rolled_back': return 'rolled back';
    case 'aborted': return 'aborted';
  }
}
