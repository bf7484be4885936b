import type { z } from 'zod';
import type { ChatMessage } from '../providers/types.js';

/**
 * One question put to a judge. A task carries both ways of answering it: the prompt an LLM
 * judge receives (validated against `schema`) and the deterministic heuristic the `sim` judge
 * uses, so every scorer works offline with the sim judge and online with a real model.
 */
export interface JudgeTask<T> {
  /** grade | claims | compare | reference — used in error messages and cache keys. */
  kind: string;
  messages: ChatMessage[];
  schema: z.ZodType<T>;
  simulate(): T;
}

/**
 * What judging cost, reported in Score.meta so the runner can total judge spend apart from the
 * candidate's. Counts requests actually sent: a verdict from the judge cache is 0 calls, 0 tokens.
 */
export interface JudgeUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** null when the judge model has no price. */
  costUsd: number | null;
  /** True when every verdict of this answer came from the judge cache (then calls and tokens are 0). */
  cached: boolean;
}

export interface JudgeAnswer<T> {
  value: T;
  usage: JudgeUsage;
}

/**
 * The judge extension point: `llm.ts` (any provider) and `sim.ts` (deterministic, labelled
 * synthetic). Throws JudgeError when no valid answer could be obtained.
 */
export interface Judge {
  /** The judge's model ref, stored with every score it gives. */
  readonly model: string;
  /** True for the sim judge (and sim/replay providers): shown as such in scores. */
  readonly synthetic: boolean;
  ask<T>(task: JudgeTask<T>): Promise<JudgeAnswer<T>>;
}

export type JudgeErrorKind = 'malformed' | 'provider';

export class JudgeError extends Error {
  readonly kind: JudgeErrorKind;
  constructor(kind: JudgeErrorKind, message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'JudgeError';
    this.kind = kind;
  }
}

export const NO_USAGE: JudgeUsage = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, cached: true };

export function addUsage(a: JudgeUsage, b: JudgeUsage): JudgeUsage {
  return {
    calls: a.calls + b.calls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
    cached: a.cached && b.cached,
  };
}
