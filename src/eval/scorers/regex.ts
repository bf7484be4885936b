import { z } from 'zod';
import { captureGroups, tryRegExp } from '../../suite/schema.js';
import { excerpt, expectedOf } from './expected.js';
import { scorerOptions } from './options.js';
import type { Score, ScoreInput, Scorer } from './types.js';

export const RegexOptionsSchema = scorerOptions({
  pattern: z.string().min(1),
  /** JavaScript regex flags, e.g. `i`, `m`, `s`. */
  flags: z.string().regex(/^[dimsuv]*$/, 'flags are some of d, i, m, s, u, v').default(''),
  /** Pass when the pattern does NOT match (e.g. forbidden phrases). */
  negate: z.boolean().default(false),
  /** Compare capture group 1 with the case's `expected` (trimmed) instead of just matching. */
  matchExpected: z.boolean().default(false),
}).superRefine((o, ctx) => {
  const re = tryRegExp(o.pattern, o.flags);
  if (typeof re === 'string') ctx.addIssue({ code: 'custom', path: ['pattern'], message: `invalid regex: ${re}` });
  else if (o.matchExpected && captureGroups(re) < 1) ctx.addIssue({ code: 'custom', path: ['pattern'], message: '`matchExpected` needs a capture group around the answer' });
});

/** `regex`: the output matches a pattern (or, `negate`, does not); `matchExpected` checks group 1 against `expected`. */
export class RegexScorer implements Scorer {
  readonly type = 'regex';
  readonly gating: boolean;
  readonly name: string;
  private readonly re: RegExp;
  constructor(private readonly o: z.output<typeof RegexOptionsSchema>) {
    this.name = o.name ?? 'regex';
    this.gating = o.gating ?? true;
    this.re = new RegExp(o.pattern, o.flags);
  }
  score(input: ScoreInput): Score {
    const m = this.re.exec(input.output.text);
    let pass = m !== null;
    let reason: string | undefined = pass ? undefined : `no match for /${this.o.pattern}/`;
    if (this.o.matchExpected && m) {
      const expected = expectedOf(input, this.name).trim();
      pass = m[1]?.trim() === expected;
      if (!pass) reason = `captured '${excerpt(m[1] ?? '')}', expected '${excerpt(expected)}'`;
    }
    if (this.o.negate) {
      pass = !pass;
      reason = pass ? undefined : `matches forbidden /${this.o.pattern}/: '${excerpt(m?.[0] ?? '')}'`;
    }
    return { name: this.name, value: pass ? 1 : 0, pass, ...(reason ? { reason } : {}) };
  }
}
