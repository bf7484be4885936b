import { z } from 'zod';
import { contentHash } from '../hash.js';
import type { JudgeTask } from '../judge.js';
import { contentTokens, splitSentences, tokensMissingFrom } from '../text.js';

export interface ClaimVerdict {
  claim: string;
  supported: boolean;
}

export interface ClaimsReply {
  claims: ClaimVerdict[];
}

const SYSTEM = [
  'You check answers for hallucinations against a context.',
  'Split the answer into short, self-contained factual claims (one fact each).',
  'For every claim decide whether the context supports it. A claim is supported only if the context states it or it follows directly from the context; general knowledge does not count.',
  'Greetings, apologies and offers to help are not claims. An answer with no factual claims (for example a refusal) has an empty list.',
  'Reply with only a JSON object: {"claims": [{"claim": "<claim>", "supported": true|false}]}.',
].join('\n');

function userPrompt(question: string, context: string, answer: string): string {
  return `Context:\n<<<\n${context}\n>>>\n\nQuestion:\n<<<\n${question}\n>>>\n\nAnswer:\n<<<\n${answer}\n>>>`;
}

/** Courtesy sentences are not claims (the LLM prompt says so too); the sim judge skips them. */
const COURTESY = /^(hi|hello|thanks|thank you|sorry|i'm sorry|i am sorry|i hope|hope this helps|let me know|happy to help|feel free|glad to help)\b/i;

/** Identity of the built-in faithfulness prompt, stored as the rubric hash of faithfulness scores. */
export const CLAIMS_PROMPT_HASH = contentHash(SYSTEM + userPrompt('{{prompt}}', '{{context}}', '{{answer}}'));

/**
 * Claim extraction + verification in one judge call. Sim heuristic: each sentence is a claim
 * (courtesy sentences such as "Thanks for asking!" are not), unsupported when it holds a content word or number that appears neither in the context nor
 * in the question.
 */
export function claimsTask(input: { question: string; context: string; answer: string }): JudgeTask<ClaimsReply> {
  return {
    kind: 'claims',
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: userPrompt(input.question, input.context, input.answer) },
    ],
    schema: z.object({ claims: z.array(z.object({ claim: z.string(), supported: z.boolean() })) }),
    simulate() {
      const source = new Set(contentTokens(`${input.context}\n${input.question}`));
      return { claims: splitSentences(input.answer).filter((s) => !COURTESY.test(s)).map((claim) => ({ claim, supported: tokensMissingFrom(claim, source).length === 0 })) };
    },
  };
}
