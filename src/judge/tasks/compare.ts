import { z } from 'zod';
import { contentHash } from '../hash.js';
import type { JudgeTask } from '../judge.js';
import { overlapF1 } from '../text.js';

export type CompareWinner = 'A' | 'B' | 'tie';
export interface CompareReply {
  reason: string;
  winner: CompareWinner;
}

const SYSTEM = [
  'You compare two answers to the same question and decide which is better by the criteria given.',
  'Ignore the order in which the answers are shown and their length; judge substance only.',
  'Reply with only a JSON object: {"reason": "<one to three sentences>", "winner": "A" | "B" | "tie"}.',
].join('\n');

const DEFAULT_CRITERIA = 'Which answer is more correct, more complete and more helpful?';

function userPrompt(question: string, a: string, b: string, criteria: string, reference?: string): string {
  const ref = reference === undefined ? '' : `Reference answer (for orientation):\n<<<\n${reference}\n>>>\n\n`;
  return `Criteria: ${criteria}\n\nQuestion:\n<<<\n${question}\n>>>\n\n${ref}Answer A:\n<<<\n${a}\n>>>\n\nAnswer B:\n<<<\n${b}\n>>>`;
}

export function comparePromptHash(criteria: string | undefined): string {
  return contentHash(SYSTEM + userPrompt('{{prompt}}', '{{a}}', '{{b}}', criteria ?? DEFAULT_CRITERIA, '{{expected}}'));
}

/** Sim margin: overlap differences below this are a tie. */
const SIM_TIE_MARGIN = 0.05;

/**
 * One ordered comparison (A shown first). Pairwise scoring runs it in both orders. Sim heuristic:
 * the answer with the higher token overlap with the reference (expected answer, else question) wins.
 */
export function compareTask(input: { question: string; a: string; b: string; criteria?: string | undefined; reference?: string | undefined }): JudgeTask<CompareReply> {
  return {
    kind: 'compare',
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: userPrompt(input.question, input.a, input.b, input.criteria ?? DEFAULT_CRITERIA, input.reference) },
    ],
    schema: z.object({ reason: z.string(), winner: z.enum(['A', 'B', 'tie']) }),
    simulate() {
      const ref = input.reference ?? input.question;
      const fa = overlapF1(input.a, ref);
      const fb = overlapF1(input.b, ref);
      const winner: CompareWinner = Math.abs(fa - fb) < SIM_TIE_MARGIN ? 'tie' : fa > fb ? 'A' : 'B';
      return { winner, reason: `[sim judge] overlap with reference A=${fa.toFixed(2)} B=${fb.toFixed(2)}` };
    },
  };
}
