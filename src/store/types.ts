import type { Score, ScoreError } from '../eval/scorers/types.js';

/** A case's outcome: `error` (could not evaluate) is never counted as a pass or a fail. */
export type Outcome = 'pass' | 'fail' | 'error';
export type RunStatus = 'running' | 'completed' | 'incomplete' | 'interrupted';

export interface RunRecord {
  id: string;
  /** Runs started by one `llmops eval` invocation share a batch id. */
  batchId: string;
  suite: string;
  suiteHash: string;
  model: string;
  /** Provider kind (openai, anthropic, sim, replay). */
  provider: string;
  /** True when produced by sim/replay: shown as such everywhere. */
  synthetic: boolean;
  status: RunStatus;
  /** Number of (case, repeat) results the run is meant to have. */
  planned: number;
  /** Everything needed to reproduce/resume: scorer specs, filters, repeat, sample/seed, params. */
  params: Record<string, unknown>;
  startedAt: string;
  finishedAt: string | null;
  /**
   * The process executing the run, while one holds it (a 'running' run), or the one that died
   * holding it (then `status` reads 'interrupted' and `gone` says why).
   */
  owner?: RunOwner;
}

export interface RunOwner {
  host: string;
  pid: number;
  /** ISO time it took the run. */
  since: string;
  /** ISO time of its last heartbeat. */
  heartbeatAt: string;
  /** Set when the owner is gone (pid not alive, or no heartbeat for a minute): why. */
  gone?: string;
}

export interface ResultRecord {
  runId: string;
  caseId: string;
  /** 0-based repeat index (`--repeat n`). */
  repeat: number;
  outcome: Outcome;
  output: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  attempts: number;
  cached: boolean;
  tags: string[];
  /** Scores of the scorers that evaluated the answer. */
  scores: Score[];
  /**
   * Scorers that could not evaluate the answer, with why. A gating one makes the outcome `error`
   * (named in errorMessage); a non-gating one leaves the outcome alone. Read back always as a
   * list (empty when none); writers may leave it out.
   */
  scoreErrors?: ScoreError[] | undefined;
}

export interface GateDecisionRecord {
  id: number;
  runId: string;
  baselineRunId: string | null;
  verdict: 'pass' | 'fail' | 'inconclusive';
  policy: unknown;
  result: unknown;
  createdAt: string;
}
