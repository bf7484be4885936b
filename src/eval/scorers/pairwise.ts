import { z } from 'zod';
import type { BaselineSource } from '../../judge/baseline.js';
import { addUsage, type Judge } from '../../judge/judge.js';
import { combinePairwiseOrders, pairwiseValue } from '../../judge/pairwise-verdict.js';
import { askJudge, judgeMeta } from '../../judge/scorer-support.js';
import { comparePromptHash, compareTask } from '../../judge/tasks/compare.js';
import { ScorerError, type Score, type ScoreInput, type Scorer } from './types.js';

export const PairwiseOptionsSchema = z
  .strictObject({
    type: z.literal('pairwise'),
    name: z.string().optional(),
    judge: z.string().min(1).optional(),
    /** Baseline model ref: asked the same prompt. */
    baseline: z.string().min(1).optional(),
    /** Or: the case variable holding the baseline's answer. */
    baselineVar: z.string().min(1).optional(),
    /** What "better" means, in one sentence. */
    criteria: z.string().min(1).optional(),
    gating: z.boolean().optional(),
  })
  .refine((o) => (o.baseline === undefined) !== (o.baselineVar === undefined), { message: 'give exactly one of `baseline` (a model ref) or `baselineVar` (a case variable)' });

/**
 * `pairwise`: candidate vs baseline on the same case, judged in both orders. Value 1 = win,
 * 0.5 = tie, 0 = loss; pass unless the candidate loses. A disagreement between orders is a tie.
 */
export class PairwiseScorer implements Scorer {
  readonly type = 'pairwise';
  private readonly promptHash: string;
  constructor(
    readonly name: string,
    readonly gating: boolean,
    private readonly judge: Judge,
    private readonly baseline: BaselineSource,
    private readonly criteria: string | undefined,
  ) {
    this.promptHash = comparePromptHash(criteria);
  }

  async score(input: ScoreInput): Promise<Score> {
    let baselineAnswer: string;
    try {
      baselineAnswer = await this.baseline.answerFor(input);
    } catch (err) {
      throw new ScorerError(this.name, `no baseline answer from ${this.baseline.label}: ${(err as Error).message}`, { cause: err });
    }
    const candidate = input.output.text;
    const common = (a: string, b: string) => ({ question: input.prompt, criteria: this.criteria, reference: input.case.expected, a, b });
    const [one, two] = await Promise.all([
      askJudge(this.judge, compareTask(common(candidate, baselineAnswer)), this.name),
      askJudge(this.judge, compareTask(common(baselineAnswer, candidate)), this.name),
    ]);
    const verdict = combinePairwiseOrders(one.value.winner, two.value.winner);
    return {
      name: this.name,
      value: pairwiseValue(verdict.outcome),
      pass: verdict.outcome !== 'baseline',
      reason: verdict.inconsistent
        ? `tie: the two orders disagreed (candidate first → ${verdict.candidateFirst}, baseline first → ${verdict.baselineFirst})`
        : `${verdict.outcome} in both orders: ${one.value.reason}`,
      meta: {
        ...judgeMeta(this.judge, this.promptHash, addUsage(one.usage, two.usage)),
        outcome: verdict.outcome,
        baseline: this.baseline.label,
        candidateFirst: verdict.candidateFirst,
        baselineFirst: verdict.baselineFirst,
        inconsistent: verdict.inconsistent,
        positionBias: verdict.positionBias,
        baselineAnswer,
      },
    };
  }
}
