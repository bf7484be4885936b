import { z } from 'zod';
import type { Judge } from '../../judge/judge.js';
import { normaliseOnScale, type Rubric } from '../../judge/rubric.js';
import { askJudge, judgeMeta } from '../../judge/scorer-support.js';
import { gradeTask } from '../../judge/tasks/grade.js';
import { renderTemplate } from '../../judge/template.js';
import { ScorerError, type Score, type ScoreInput, type Scorer } from './types.js';

export const LlmJudgeOptionsSchema = z.strictObject({
  type: z.literal('llm-judge'),
  name: z.string().optional(),
  /** Rubric file (front matter with the scale, then text with {{variables}}), relative to the suite. */
  rubric: z.string().min(1),
  /** Judge model ref; defaults to llmops.yaml `judge.model`. */
  judge: z.string().min(1).optional(),
  /** Raw score needed to pass; defaults to the rubric's `pass`. */
  threshold: z.number().optional(),
  gating: z.boolean().optional(),
});

/**
 * `llm-judge`: a rubric → a score on the rubric's scale plus a reason. `value` is the score
 * normalised to 0..1; the raw score, scale, judge model and rubric hash are in `meta`.
 */
export class LlmJudgeScorer implements Scorer {
  readonly type = 'llm-judge';
  constructor(
    readonly name: string,
    readonly gating: boolean,
    private readonly judge: Judge,
    private readonly rubric: Rubric,
    private readonly passAt: number,
  ) {}

  /** Rubric points, for calibration against human grades. */
  get categories(): number[] {
    const { min, max } = this.rubric.scale;
    return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  }
  category(score: Score): number {
    return score.meta?.raw as number;
  }

  async score(input: ScoreInput): Promise<Score> {
    const c = input.case;
    const scope: Record<string, unknown> = {
      ...c.vars,
      vars: c.vars,
      answer: input.output.text,
      prompt: input.prompt,
      ...(c.expected === undefined ? {} : { expected: c.expected }),
      ...(c.context === undefined ? {} : { context: c.context }),
    };
    const rendered = renderTemplate(this.rubric.template, scope);
    if (rendered.missing.length > 0) {
      throw new ScorerError(this.name, `rubric ${this.rubric.file} uses ${rendered.missing.map((m) => `{{${m}}}`).join(', ')}, which case ${c.id} does not have`);
    }
    const task = gradeTask({ rubric: this.rubric, renderedRubric: rendered.text, answer: input.output.text, expected: c.expected, context: c.context });
    const { value, usage } = await askJudge(this.judge, task, this.name);
    const { min, max } = this.rubric.scale;
    return {
      name: this.name,
      value: normaliseOnScale(value.score, this.rubric.scale),
      pass: value.score >= this.passAt,
      reason: value.reason,
      meta: Object.assign(judgeMeta(this.judge, this.rubric.hash, usage), { raw: value.score, scale: [min, max], passAt: this.passAt, rubricFile: this.rubric.file }),
    };
  }
}
