import type { UpgradeChecks } from './policy.js';

/** Why a fast-tier answer was not good enough (also the `reason` of the upgrade header). */
export type UpgradeReason = 'empty' | 'refusal' | 'invalid_json' | 'low_judge_score';

export interface AnswerToCheck {
  text: string;
  /** The request asked for JSON output. */
  wantsJson?: boolean | undefined;
  /** Score of a sampled judge on a 0–1 scale, when this answer was sampled and judged. */
  judgeScore?: number | undefined;
}

// Refusals open the answer; matching only the start keeps "I can't stress enough…" inside a
// helpful answer from counting.
const REFUSAL =
  /^\W*(?:i['’]m sorry,? but i (?:can(?:no|['’])t|am unable|won['’]t)|i (?:can(?:no|['’])t|am unable to|won['’]t) (?:help|assist|answer|provide|do|comply|complete)|sorry,? (?:but )?i can(?:no|['’])t|as an ai(?: language model)?,? i (?:can(?:no|['’])t|am unable|don['’]t)|i['’]m not able to (?:help|assist|answer|provide))/i;

export function isRefusal(text: string): boolean {
  return REFUSAL.test(text.slice(0, 300));
}

export function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cheap checks a fast-tier answer must pass, in order of cost; the first failure names the
 * reason to retry on the powerful tier. Pure: the (sampled) judge score comes in with the answer.
 */
export function checkFastAnswer(answer: AnswerToCheck, checks: Pick<UpgradeChecks, 'enabled' | 'checks' | 'judgeThreshold'>): UpgradeReason | null {
  if (!checks.enabled) return null;
  const on = new Set(checks.checks);
  const text = answer.text.trim();
  if (on.has('empty') && text.length === 0) return 'empty';
  if (on.has('refusal') && isRefusal(text)) return 'refusal';
  if (on.has('invalid_json') && answer.wantsJson === true && !isValidJson(text)) return 'invalid_json';
  if (on.has('judge') && answer.judgeScore !== undefined && answer.judgeScore < checks.judgeThreshold) return 'low_judge_score';
  return null;
}

/**
 * Whether this request's answer is sampled for the judge check: a stable hash of the request id
 * against the rate, so a retry or a replay samples the same requests (no Math.random()).
 */
export function sampledForJudge(requestId: string, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  let h = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++) {
    h ^= requestId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x100000000 < rate;
}
