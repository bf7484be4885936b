import { z } from 'zod';
import type { Judge } from '../../judge/judge.js';
import { askJudge, judgeMeta } from '../../judge/scorer-support.js';
import { REFERENCE_PROMPT_HASH, referenceTask } from '../../judge/tasks/reference.js';
import { ScorerError, type Score, type ScoreInput, type Scorer } from './types.js';

export const ReferenceMatchOptionsSchema = z.strictObject({
  type: z.literal('reference-match'),
  name: z.string().optional(),
  judge: z.string().min(1).optional(),
  gating: z.boolean().optional(),
});

/** `reference-match`: the judge decides whether the answer agrees in meaning with `expected` (value 1 or 0). */
export class ReferenceMatchScorer implements Scorer {
  readonly type = 'reference-match';
  constructor(
    readonly name: string,
    readonly gating: boolean,
    private readonly judge: Judge,
  ) {}

  /** Fail (0) / pass (1), for calibration against human pass/fail labels. */
  readonly categories = [0, 1];
  category(score: Score): number {
    return score.pass ? 1 : 0;
  }

  async score(input: ScoreInput): Promise<Score> {
    const expected = input.case.expected;
    if (expected === undefined) throw new ScorerError(this.name, `case ${input.case.id} has no expected answer to match`);
    const task = referenceTask({ question: input.prompt, expected, answer: input.output.text });
    const { value, usage } = await askJudge(this.judge, task, this.name);
    return {
      name: this.name,
      value: value.match ? 1 : 0,
      pass: value.match,
      reason: value.reason,
      meta: judgeMeta(this.judge, REFERENCE_PROMPT_HASH, usage),
    };
  }
}
