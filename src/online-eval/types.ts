import type { Variant } from '../canary/metric-source.js';
import type { JudgeUsage } from '../judge/judge.js';

/** One live response chosen for online evaluation (copied off the request path). */
export interface OnlineItem {
  requestId: string;
  deployment: string;
  variant: Variant;
  atMs: number;
  question: string;
  answer: string;
  /** Retrieved context the answer should stay faithful to (no hallucination check without it). */
  context?: string | undefined;
}

/** The judge's verdict on one response: quality in 0..1 and whether it hallucinated. */
export interface OnlineVerdict {
  quality?: number;
  hallucinated?: boolean;
  /** What judging this response cost: the judge's own usage (calls, tokens, USD or null without a price). */
  usage?: JudgeUsage;
}

/**
 * The online judging extension point: `judge-online.ts` wraps any src/judge Judge (an LLM
 * through a provider, or the deterministic sim judge).
 */
export interface OnlineJudge {
  judge(item: OnlineItem): Promise<OnlineVerdict>;
}
