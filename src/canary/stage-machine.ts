import type { CanaryPlan } from './plan.js';
import { candidateWeight, isTerminal, stageDurationMs, stageElapsedMs, stageLabel, type CanaryEvent, type CanaryState } from './state.js';
import type { Evidence } from './triggers.js';

/**
 * Pure stage transitions. Every function takes the state and the time and returns the next
 * state and the event to record (none when nothing changed). Nothing here reads a clock.
 */
export interface Transition {
  state: CanaryState;
  event: CanaryEvent | undefined;
}

export function startCanary(input: { deployment: string; baseline: string; candidate: string; plan: CanaryPlan }, nowMs: number): Transition {
  const shadow = input.plan.shadowMs > 0;
  const state: CanaryState = {
    ...input, phase: shadow ? 'shadow' : 'stage', stageIndex: 0, paused: false,
    startedAtMs: nowMs, stageStartedAtMs: nowMs, pausedTotalMs: 0, pausedAtMs: null, endedAtMs: null, warmUntilMs: null, reason: null,
  };
  return { state, event: { atMs: nowMs, deployment: input.deployment, kind: 'started', message: `canary of ${input.candidate} started at ${stageLabel(state)}` } };
}

/**
 * What the controller measured for the current stage. `enoughSamples`: both variants have at
 * least minRequests in the longest window. `withinLimits`: no metric observed past its trigger
 * limit on any window. `nonInferior`: the non-inferiority tests passed (only consulted when the
 * stage requires significance).
 */
export interface AdvanceChecks {
  enoughSamples: boolean;
  withinLimits: boolean;
  nonInferior: boolean;
  evidence?: Evidence[];
}

/** Why a stage whose time is up does not advance yet; undefined when it may. */
export function blockingReason(s: CanaryState, checks: AdvanceChecks, significanceFromWeight: number): string | undefined {
  if (!checks.enoughSamples) return 'waiting for enough samples';
  if (!checks.withinLimits) return 'a metric is past its limit (not yet significant)';
  if (requiresSignificance(s, significanceFromWeight) && !checks.nonInferior) return 'non-inferiority not yet significant';
  return undefined;
}

export function requiresSignificance(s: CanaryState, significanceFromWeight: number): boolean {
  return s.phase === 'stage' && candidateWeight(s) >= significanceFromWeight;
}

/**
 * Advances one stage when the stage's duration has passed (pauses excluded) AND the checks pass.
 * Paused and terminal canaries never move. Leaving the last stage promotes to 100% and keeps
 * the baseline warm for plan.keepWarmMs.
 */
export function advance(s: CanaryState, nowMs: number, checks: AdvanceChecks, significanceFromWeight: number): Transition {
  if (isTerminal(s) || s.paused) return { state: s, event: undefined };
  if (stageElapsedMs(s, nowMs) < stageDurationMs(s)) return { state: s, event: undefined };
  if (blockingReason(s, checks, significanceFromWeight) !== undefined) return { state: s, event: undefined };
  const from = stageLabel(s);
  const lastIndex = s.plan.stages.length - 1;
  const fresh = { stageStartedAtMs: nowMs, pausedTotalMs: 0, pausedAtMs: null };
  let next: CanaryState;
  if (s.phase === 'shadow') next = { ...s, ...fresh, phase: 'stage', stageIndex: 0 };
  else if (s.stageIndex < lastIndex) next = { ...s, ...fresh, stageIndex: s.stageIndex + 1 };
  else next = { ...s, ...fresh, phase: 'completed', endedAtMs: nowMs, warmUntilMs: nowMs + s.plan.keepWarmMs };
  const kind = next.phase === 'completed' ? 'completed' : 'advanced';
  const message = kind === 'completed'
    ? `promoted ${s.candidate} to 100%; ${s.baseline} kept warm`
    : `advanced from ${from} to ${stageLabel(next)}`;
  return { state: next, event: { atMs: nowMs, deployment: s.deployment, kind, message, ...(checks.evidence ? { evidence: checks.evidence } : {}) } };
}

export function pause(s: CanaryState, nowMs: number): Transition {
  if (isTerminal(s) || s.paused) return { state: s, event: undefined };
  return {
    state: { ...s, paused: true, pausedAtMs: nowMs },
    event: { atMs: nowMs, deployment: s.deployment, kind: 'paused', message: `paused at ${stageLabel(s)}` },
  };
}

export function resume(s: CanaryState, nowMs: number): Transition {
  if (isTerminal(s) || !s.paused || s.pausedAtMs === null) return { state: s, event: undefined };
  return {
    state: { ...s, paused: false, pausedAtMs: null, pausedTotalMs: s.pausedTotalMs + (nowMs - s.pausedAtMs) },
    event: { atMs: nowMs, deployment: s.deployment, kind: 'resumed', message: `resumed at ${stageLabel(s)}` },
  };
}

function end(s: CanaryState, nowMs: number, phase: 'aborted' | 'rolled_back', reason: string): CanaryState {
  return { ...s, phase, paused: false, pausedAtMs: null, endedAtMs: nowMs, reason };
}

/**
 * Operator abort: all traffic back to the baseline. Also how a canary ends when someone else
 * promotes, rolls back or reweights its deployment (the controller then leaves traffic alone).
 */
export function abort(s: CanaryState, nowMs: number, reason = 'aborted by operator'): Transition {
  if (isTerminal(s)) return { state: s, event: undefined };
  return { state: end(s, nowMs, 'aborted', reason), event: { atMs: nowMs, deployment: s.deployment, kind: 'aborted', message: `aborted at ${stageLabel(s)}: ${reason}` } };
}

/**
 * Rollback (automatic trigger, or operator) of a running canary. A completed canary is over: the
 * deployment's own rollback (`llmops rollback`) returns to the warm previous baseline.
 */
export function rollback(s: CanaryState, nowMs: number, reason: string, evidence?: Evidence[]): Transition {
  if (isTerminal(s)) return { state: s, event: undefined };
  return {
    state: end(s, nowMs, 'rolled_back', reason),
    event: { atMs: nowMs, deployment: s.deployment, kind: 'rolled_back', message: `rolled back from ${stageLabel(s)}: ${reason}`, ...(evidence ? { evidence } : {}) },
  };
}

/** Operator promote: skip the remaining stages. */
export function promote(s: CanaryState, nowMs: number): Transition {
  if (isTerminal(s)) return { state: s, event: undefined };
  const next: CanaryState = { ...s, phase: 'completed', paused: false, pausedAtMs: null, endedAtMs: nowMs, warmUntilMs: nowMs + s.plan.keepWarmMs, reason: 'promoted by operator' };
  return { state: next, event: { atMs: nowMs, deployment: s.deployment, kind: 'completed', message: `promoted ${s.candidate} to 100% by operator from ${stageLabel(s)}` } };
}
