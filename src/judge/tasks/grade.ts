import { z } from 'zod';
import type { JudgeTask } from '../judge.js';
import type { Rubric } from '../rubric.js';
import { overlapF1 } from '../text.js';

export interface GradeReply {
  reason: string;
  score: number;
}

export interface GradeInput {
  rubric: Rubric;
  /** The rubric rendered with the case's variables. */
  renderedRubric: string;
  answer: string;
  expected?: string | undefined;
  context?: string | undefined;
}

function systemPrompt(min: number, max: number): string {
  return [
    'You are an impartial evaluator. Grade the answer strictly by the rubric the user gives you.',
    'Think about the rubric first, then give the score.',
    `Reply with only a JSON object: {"reason": "<one to three sentences>", "score": <integer from ${min} to ${max}>}.`,
  ].join('\n');
}

/**
 * Rubric grading. Sim heuristic: token-overlap F1 of the answer with the expected answer
 * (or with the context when there is no expected answer), mapped linearly onto the scale.
 */
export function gradeTask(input: GradeInput): JudgeTask<GradeReply> {
  const { min, max } = input.rubric.scale;
  return {
    kind: 'grade',
    messages: [
      { role: 'system', content: systemPrompt(min, max) },
      { role: 'user', content: input.renderedRubric },
    ],
    schema: z.object({ reason: z.string(), score: z.number().int().min(min).max(max) }),
    simulate() {
      const reference = input.expected ?? input.context ?? '';
      const f1 = overlapF1(input.answer, reference);
      const score = min + Math.round(f1 * (max - min));
      const against = input.expected !== undefined ? 'the expected answer' : 'the context';
      return { score, reason: `[sim judge] token overlap with ${against} is ${f1.toFixed(2)}, scored ${score} on ${min}..${max}` };
    },
  };
}
