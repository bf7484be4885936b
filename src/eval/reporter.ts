import type { Outcome, RunRecord } from '../store/types.js';

export interface RunProgressStart {
  run: RunRecord;
  /** Results the run must have in the end. */
  planned: number;
  /** Results already stored before this invocation (--resume). */
  alreadyDone: number;
}

export interface ResultEvent {
  runId: string;
  caseId: string;
  outcome: Outcome;
  latencyMs: number | null;
  cached: boolean;
  errorKind: string | null;
}

/**
 * Progress display seam: plain lines (CI, pipes), a live Ink view (TTY), or nothing (--json).
 * The runner only calls these; it never prints.
 */
export interface EvalReporter {
  start(runs: RunProgressStart[]): void;
  result(ev: ResultEvent): void;
  retry?(runId: string, caseId: string, reason: string, delayMs: number): void;
  runFinished?(runId: string, status: RunRecord['status']): void;
  /** Called once at the end, before summaries print; must release the terminal. */
  stop(): Promise<void> | void;
}

export const silentReporter: EvalReporter = { start() {}, result() {}, stop() {} };
