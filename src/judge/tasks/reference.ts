import { z } from 'zod';
import { contentHash } from '../hash.js';
import type { JudgeTask } from '../judge.js';
import { contentTokens, overlapF1 } from '../text.js';

export interface ReferenceReply {
  reason: string;
  match: boolean;
}

const SYSTEM = [
  'You decide whether an answer agrees in meaning with a reference answer.',
  'Wording, order and extra politeness do not matter; a different fact, number or conclusion does. An answer that contradicts or omits the key point of the reference does not match.',
  'Reply with only a JSON object: {"reason": "<one or two sentences>", "match": true|false}.',
].join('\n');

function userPrompt(question: string, expected: string, answer: string): string {
  return `Question:\n<<<\n${question}\n>>>\n\nReference answer:\n<<<\n${expected}\n>>>\n\nAnswer to check:\n<<<\n${answer}\n>>>`;
}

export const REFERENCE_PROMPT_HASH = contentHash(SYSTEM + userPrompt('{{prompt}}', '{{expected}}', '{{answer}}'));

/** F1 at or above which the sim judge calls two answers equivalent. */
export const SIM_MATCH_F1 = 0.6;

/**
 * Semantic match with the expected answer. Sim heuristic: every content token of the expected
 * answer appears in the answer, or token-overlap F1 ≥ 0.6.
 */
export function referenceTask(input: { question: string; expected: string; answer: string }): JudgeTask<ReferenceReply> {
  return {
    kind: 'reference',
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: userPrompt(input.question, input.expected, input.answer) },
    ],
    schema: z.object({ reason: z.string(), match: z.boolean() }),
    simulate() {
      const have = new Set(contentTokens(input.answer));
      const need = contentTokens(input.expected);
      const contained = need.length > 0 && need.every((t) => have.has(t));
      const f1 = overlapF1(input.answer, input.expected);
      const match = contained || f1 >= SIM_MATCH_F1;
      return { match, reason: `[sim judge] ${contained ? 'answer contains every expected token' : `token overlap ${f1.toFixed(2)}`}` };
    },
  };
}
