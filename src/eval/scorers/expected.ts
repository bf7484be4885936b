import type { ScoreInput } from './types.js';
import { ScorerError } from './types.js';

/** The reference a scorer compares with: its own option, else the case's `expected`. A case without one cannot be scored. */
export function expectedOf(input: ScoreInput, scorer: string, override?: string): string {
  const e = override ?? input.case.expected;
  if (e === undefined) throw new ScorerError(scorer, `case ${input.case.id} has no \`expected\` to compare with`);
  return e;
}

export function normalise(s: string, o: { trim: boolean; caseSensitive: boolean }): string {
  const t = o.trim ? s.trim() : s;
  return o.caseSensitive ? t : t.toLowerCase();
}

/** Short excerpt for reasons stored with each score. */
export function excerpt(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
