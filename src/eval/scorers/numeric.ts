import { z } from 'zod';
import { captureGroups, tryRegExp } from '../../suite/schema.js';
import { excerpt, expectedOf } from './expected.js';
import { numbersIn, parseWholeNumber } from './numbers.js';
import { scorerOptions } from './options.js';
import { ScorerError, type Score, type ScoreInput, type Scorer } from './types.js';

export const NumericOptionsSchema = scorerOptions({
  /** Absolute tolerance: |answer − expected| ≤ tolerance passes (default 1e-6). */
  tolerance: z.number().nonnegative().default(1e-6),
  /** Relative tolerance: |answer − expected| ≤ relTolerance × |expected| also passes. */
  relTolerance: z.number().nonnegative().default(0),
  /** Which number of the output is the answer (default the last one: models reason, then answer). */
  extract: z.enum(['last', 'first']).default('last'),
  /** Or a regex whose group 1 holds the answer, e.g. `answer:\s*(\S+)` (takes precedence over `extract`). */
  pattern: z.string().min(1).optional(),
  flags: z.string().regex(/^[imsu]*$/).default('i'),
}).superRefine((o, ctx) => {
  if (o.pattern === undefined) return;
  const re = tryRegExp(o.pattern, o.flags);
  if (typeof re === 'string') ctx.addIssue({ code: 'custom', path: ['pattern'], message: `invalid regex: ${re}` });
  else if (captureGroups(re) < 1) ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'needs a capture group around the answer' });
});

/**
 * `numeric`: the answer number in the output is within tolerance of the expected number.
 * Thousands separators, currency signs and negatives are understood. An output with no number
 * fails; an expected value that is not a number is a scorer error (the case is broken, not the model).
 */
export class NumericScorer implements Scorer {
  readonly type = 'numeric';
  readonly gating: boolean;
  readonly name: string;
  private readonly re: RegExp | undefined;
  constructor(private readonly o: z.output<typeof NumericOptionsSchema>) {
    this.name = o.name ?? 'numeric';
    this.gating = o.gating ?? true;
    this.re = o.pattern === undefined ? undefined : new RegExp(o.pattern, o.flags);
  }

  answerOf(text: string): number | undefined {
    let source = text;
    if (this.re) {
      const m = this.re.exec(text);
      if (!m || m[1] === undefined) return undefined;
      source = m[1];
    }
    const nums = numbersIn(source);
    return this.o.extract === 'first' ? nums[0] : nums[nums.length - 1];
  }

  score(input: ScoreInput): Score {
    const raw = expectedOf(input, this.name);
    const expected = parseWholeNumber(raw);
    if (expected === undefined) throw new ScorerError(this.name, `case ${input.case.id}: expected '${excerpt(raw)}' is not a number`);
    const answer = this.answerOf(input.output.text);
    if (answer === undefined) {
      return { name: this.name, value: 0, pass: false, reason: `no number in the answer '${excerpt(input.output.text)}'` };
    }
    const diff = Math.abs(answer - expected);
    const pass = diff <= this.o.tolerance || diff <= this.o.relTolerance * Math.abs(expected);
    return { name: this.name, value: pass ? 1 : 0, pass, ...(pass ? {} : { reason: `answer ${answer}, expected ${expected}` }), meta: { answer, expected } };
  }
}
