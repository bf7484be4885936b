import { addUsage, type Judge } from '../judge/judge.js';
import type { Rubric } from '../judge/rubric.js';
import { claimsTask } from '../judge/tasks/claims.js';
import { gradeTask } from '../judge/tasks/grade.js';
import type { OnlineItem, OnlineJudge, OnlineVerdict } from './types.js';

const QUALITY_RUBRIC: Rubric = {
  file: '<built-in online quality rubric>',
  hash: 'online-quality-v1',
  scale: { min: 1, max: 5, pass: 4 },
  template: 'Rate how well the answer addresses the question, using the context when given: 5 = complete and correct, 1 = wrong or useless.',
};

function rendered(item: OnlineItem): string {
  return `${QUALITY_RUBRIC.template}\n\nQuestion:\n${item.question}\n\n${item.context ? `Context:\n${item.context}\n\n` : ''}Answer:\n${item.answer}`;
}

/**
 * Online judging with the project's judge (src/judge): a 1..5 rubric grade normalised to 0..1
 * for quality, and claim verification against the request's context for hallucination (any
 * unsupported claim = hallucinated). Without a context only quality is judged.
 */
export class JudgeOnline implements OnlineJudge {
  constructor(private readonly judgeModel: Judge) {}

  async judge(item: OnlineItem): Promise<OnlineVerdict> {
    const grade = await this.judgeModel.ask(gradeTask({ rubric: QUALITY_RUBRIC, renderedRubric: rendered(item), answer: item.answer, context: item.context }));
    const { min, max } = QUALITY_RUBRIC.scale;
    const verdict: OnlineVerdict = { quality: (grade.value.score - min) / (max - min) };
    let usage = grade.usage;
    if (item.context) {
      const claims = await this.judgeModel.ask(claimsTask({ question: item.question, context: item.context, answer: item.answer }));
      verdict.hallucinated = claims.value.claims.some((c) => !c.supported);
      usage = addUsage(usage, claims.usage);
    }
    verdict.usage = usage;
    return verdict;
  }
}
