import type { WindowSnapshot } from './metric-source.js';
import type { CanaryEvent, CanaryPhase } from './state.js';
import type { Evidence } from './triggers.js';

/** One point of a dashboard sparkline: the short window at one evaluation. */
export interface HistoryPoint {
  atMs: number;
  baseline: WindowSnapshot;
  candidate: WindowSnapshot;
}

/**
 * Everything `canary status` and `canary watch` show, as plain JSON (served by the admin API
 * and printed by `--json`).
 */
export interface CanaryStatusView {
  deployment: string;
  baseline: string;
  candidate: string;
  phase: CanaryPhase;
  paused: boolean;
  stage: string;
  /** The candidate's share in the canary's current stage, percent (0 in shadow: mirrored only; 100 once completed). */
  candidateWeight: number;
  /**
   * What the deployment routes now, percent per variant (warm ones left out); null when the
   * deployment is unknown. Differs from the stage's share once the canary ended because someone
   * else changed the deployment.
   */
  traffic: Record<string, number> | null;
  mirror: boolean;
  stageIndex: number;
  stages: string[];
  plan: string;
  stageElapsedMs: number;
  stageRemainingMs: number;
  /** Why a stage whose time is up has not advanced. */
  blockedBy: string | null;
  startedAt: number;
  endedAt: number | null;
  warmUntil: number | null;
  reason: string | null;
  nowMs: number;
  /** The latest evaluation: per window, both variants and every check. */
  windows: Array<{ windowMs: number; baseline: WindowSnapshot; candidate: WindowSnapshot }>;
  evidence: Evidence[];
  history: HistoryPoint[];
  events: CanaryEvent[];
}
