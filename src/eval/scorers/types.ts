import type { CompletionResult } from '../../providers/types.js';
import type { Case } from '../../suite/types.js';

/** Prices in USD per 1M tokens, when known. */
export interface PriceInfo {
  input: number;
  output: number;
}

export interface ScoreInput {
  case: Case;
  output: CompletionResult;
  /** The rendered prompt that was sent (for judges). */
  prompt: string;
  price?: PriceInfo | undefined;
  /** Candidate model ref, for scorers that need it (pairwise). */
  modelRef: string;
}

/**
 * `pass: null` means the scorer measures but does not judge (latency, cost without a threshold).
 * A scorer that *could not* evaluate throws ScorerError: that is an `error`, never a fail.
 */
export interface Score {
  name: string;
  /** Normalised to 0..1 for correctness scorers; raw units for measurement scorers (ms, USD). */
  value: number;
  pass: boolean | null;
  reason?: string | undefined;
  /** Scorer-specific details stored as JSON (judge model, rubric hash, unsupported claims…). */
  meta?: Record<string, unknown> | undefined;
}

export interface Scorer {
  readonly name: string;
  readonly type: string;
  /** Whether pass/fail of this scorer decides the case outcome. */
  readonly gating: boolean;
  score(input: ScoreInput): Promise<Score> | Score;
  /**
   * Whether this scorer judges the case at all (a scorer with `when: {tag: …}` in the suite).
   * Absent means every case. A scorer that does not apply gives no score for the case.
   */
  appliesTo?(c: Case): boolean;
}

/**
 * A scorer that could not evaluate one result (it threw ScorerError). Stored next to the scores
 * of the scorers that did evaluate it: one broken scorer never hides the others' scores.
 */
export interface ScoreError {
  /** The scorer's name (as in `Score.name`). */
  name: string;
  message: string;
}

export class ScorerError extends Error {
  readonly scorer: string;
  constructor(scorer: string, message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'ScorerError';
    this.scorer = scorer;
  }
}
