import { createHash } from 'node:crypto';
import type { ChatMessage } from '../providers/types.js';
import type { ItemVerdict } from './consolidate.js';
import type { Dimension } from './types.js';

/** A suite case as written to JSONL (DESIGN.md: `{"id","vars","expected"?,"context"?,"tags"?}`). */
export interface CaseLine {
  id: string;
  vars: { question: string; system?: string };
  expected: string;
  context?: string;
  tags: string[];
}

/** Accuracy median at or above this means the logged answer itself can serve as the expected answer. */
export const ACCEPT_AS_EXPECTED_AT = 4;

const PROBLEM_TAGS: Record<Dimension, string> = { accuracy: 'review:inaccurate', helpfulness: 'review:unhelpful', safety: 'review:unsafe' };

/** Stable case id from the request id: exporting the same item again gives the same id. */
export function caseIdFor(requestId: string): string {
  return `rv-${createHash('sha256').update(requestId).digest('hex').slice(0, 12)}`;
}

/** The request as one question: the user message, or a transcript when the conversation had several turns. */
export function questionOf(messages: ReadonlyArray<ChatMessage>): string {
  const turns = messages.filter((m) => m.role !== 'system');
  if (turns.length === 1) return turns[0]!.content;
  return turns.map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.content}`).join('\n');
}

/** What makes two cases "the same input": whitespace- and case-insensitive question plus context. */
export function inputKey(vars: Record<string, unknown>, context: string | undefined): string {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const q = typeof vars.question === 'string' ? norm(vars.question) : JSON.stringify(Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${q}\u0000${norm(context ?? '')}`;
}

export interface ExistingCases {
  ids: ReadonlySet<string>;
  /** inputKey → id of the case already holding that input. */
  inputs: ReadonlyMap<string, string>;
}

export interface CasePlan {
  added: CaseLine[];
  /** Items whose case is already in the suite: request id → existing case id. */
  existing: Array<{ requestId: string; caseId: string; reason: 'same id' | 'same input' }>;
  /**
   * Graded items that cannot become a case: median accuracy below ACCEPT_AS_EXPECTED_AT (partly
   * correct or worse) and no corrected answer, so there is no answer to expect.
   */
  needsCorrection: string[];
  /** Items nobody graded (only skipped or not reached). */
  ungraded: string[];
  /** request id → case id, for every item that maps to a suite case (added or existing). */
  caseIds: Map<string, string>;
}

/**
 * Turns graded items into new suite cases. The expected answer is the reviewers' corrected
 * answer, else the logged response when its accuracy median is ≥ 4; a response below that
 * (partly correct, 3, counts too) with no correction has no trustworthy expected answer and is left out. Cases already in the
 * suite (same stable id, or the same input) are not added again. Pure.
 */
export function planCases(verdicts: ReadonlyArray<ItemVerdict>, existing: ExistingCases): CasePlan {
  const plan: CasePlan = { added: [], existing: [], needsCorrection: [], ungraded: [], caseIds: new Map() };
  const ids = new Set(existing.ids);
  const inputs = new Map(existing.inputs);
  for (const v of verdicts) {
    const r = v.item.response;
    if (v.median === null) {
      plan.ungraded.push(r.requestId);
      continue;
    }
    const id = caseIdFor(r.requestId);
    const question = questionOf(r.messages);
    const system = r.messages.find((m) => m.role === 'system')?.content;
    const vars = system === undefined ? { question } : { question, system };
    const key = inputKey(vars, r.context);
    if (ids.has(id)) {
      plan.existing.push({ requestId: r.requestId, caseId: id, reason: 'same id' });
      plan.caseIds.set(r.requestId, id);
      continue;
    }
    const same = inputs.get(key);
    if (same !== undefined) {
      plan.existing.push({ requestId: r.requestId, caseId: same, reason: 'same input' });
      plan.caseIds.set(r.requestId, same);
      continue;
    }
    const expected = v.correctedAnswer ?? (v.median.accuracy >= ACCEPT_AS_EXPECTED_AT ? r.response : null);
    if (expected === null) {
      plan.needsCorrection.push(r.requestId);
      continue;
    }
    const tags = ['source:human-review', `deployment:${r.deployment}`, `variant:${r.variant}`, ...v.problems.map((d) => PROBLEM_TAGS[d])];
    if (v.correctedAnswer !== null) tags.push('review:corrected');
    plan.added.push({ id, vars, expected, ...(r.context ? { context: r.context } : {}), tags });
    plan.caseIds.set(r.requestId, id);
    ids.add(id);
    inputs.set(key, id);
  }
  return plan;
}
