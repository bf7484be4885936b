import type { Outcome } from '../store/types.js';
import type { Case } from '../suite/types.js';
import { decideOutcome, type Judgement } from './outcome.js';
import { ScorerError, type Score, type ScoreError, type ScoreInput, type Scorer } from './scorers/types.js';

export interface CaseScoring {
  outcome: Outcome;
  /** Scores of the scorers that evaluated the result. */
  scores: Score[];
  /** Scorers that could not evaluate it (gating or not), with their messages. */
  scoreErrors: ScoreError[];
  /** Set when the outcome is `error`: the gating scorers that could not evaluate, named. */
  error: { kind: 'scorer'; message: string } | null;
}

/**
 * Runs every scorer that applies to the case, each on its own: one that throws ScorerError is
 * recorded as that scorer's error and the rest still score. Anything else a scorer throws is a
 * bug in llmops or a plugin and stops the run.
 */
export async function scoreCase(scorers: readonly Scorer[], c: Case, input: ScoreInput): Promise<CaseScoring> {
  const judgements: Judgement[] = [];
  const scores: Score[] = [];
  const scoreErrors: ScoreError[] = [];
  const gatingErrors: string[] = [];
  for (const s of scorers) {
    if (s.appliesTo && !s.appliesTo(c)) continue; // `when:` in the suite: not this kind of case
    try {
      const score = await s.score(input);
      scores.push(score);
      judgements.push({ gating: s.gating, score });
    } catch (err) {
      if (!(err instanceof ScorerError)) throw err;
      scoreErrors.push({ name: s.name, message: err.message });
      judgements.push({ gating: s.gating, error: err.message });
      if (s.gating) gatingErrors.push(`${s.name}: ${err.message}`);
    }
  }
  const outcome = decideOutcome(judgements);
  return {
    outcome, scores, scoreErrors,
    error: outcome === 'error' ? { kind: 'scorer', message: gatingErrors.join('; ') } : null,
  };
}
