import { z } from 'zod';
import type { Judge } from '../../judge/judge.js';
import { askJudge, judgeMeta } from '../../judge/scorer-support.js';
import { CLAIMS_PROMPT_HASH, claimsTask } from '../../judge/tasks/claims.js';
import { ScorerError, type Score, type ScoreInput, type Scorer } from './types.js';

export const FaithfulnessOptionsSchema = z.strictObject({
  type: z.literal('faithfulness'),
  name: z.string().optional(),
  judge: z.string().min(1).optional(),
  /**
   * Minimum share of supported claims to pass. Default 1: any unsupported claim is a
   * hallucination and fails the case.
   */
  threshold: z.number().min(0).max(1).default(1),
  gating: z.boolean().optional(),
});

/**
 * `faithfulness`: the judge splits the answer into claims and checks each against the case's
 * `context`. `value` = supported / total claims (1 when the answer makes no claim);
 * `meta.hallucination` is true when any claim is unsupported (what the hallucination rate counts).
 */
export class FaithfulnessScorer implements Scorer {
  readonly type = 'faithfulness';
  constructor(
    readonly name: string,
    readonly gating: boolean,
    private readonly judge: Judge,
    private readonly threshold: number,
  ) {}

  /** Fail (0) / pass (1), for calibration against human pass/fail labels. */
  readonly categories = [0, 1];
  category(score: Score): number {
    return score.pass ? 1 : 0;
  }

  async score(input: ScoreInput): Promise<Score> {
    const context = input.case.context;
    if (context === undefined || context.trim() === '') {
      throw new ScorerError(this.name, `case ${input.case.id} has no context to check the answer against`);
    }
    const task = claimsTask({ question: input.prompt, context, answer: input.output.text });
    const { value, usage } = await askJudge(this.judge, task, this.name);
    const claims = value.claims;
    const unsupported = claims.filter((c) => !c.supported).map((c) => c.claim);
    const faithfulness = claims.length === 0 ? 1 : (claims.length - unsupported.length) / claims.length;
    const hallucination = unsupported.length > 0;
    return {
      name: this.name,
      value: faithfulness,
      pass: faithfulness >= this.threshold,
      reason: hallucination
        ? `${unsupported.length} of ${claims.length} claims not supported by the context: ${unsupported.map((c) => `"${c}"`).join('; ')}`
        : claims.length === 0
          ? 'the answer makes no factual claim'
          : `all ${claims.length} claims supported by the context`,
      meta: Object.assign(judgeMeta(this.judge, CLAIMS_PROMPT_HASH, usage), { hallucination, claims: claims.length, unsupportedClaims: unsupported }),
    };
  }
}
