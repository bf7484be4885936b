import { z } from 'zod';
import { excerpt, expectedOf, normalise } from './expected.js';
import { scorerOptions } from './options.js';
import type { Score, ScoreInput, Scorer } from './types.js';

export const ExactOptionsSchema = scorerOptions({
  /** Compare with this instead of the case's `expected`. */
  value: z.string().optional(),
  trim: z.boolean().default(true),
  caseSensitive: z.boolean().default(true),
});

/** `exact`: the output equals the expected text (trimmed by default; `caseSensitive: false` to ignore case). */
export class ExactScorer implements Scorer {
  readonly type = 'exact';
  readonly gating: boolean;
  readonly name: string;
  constructor(private readonly o: z.output<typeof ExactOptionsSchema>) {
    this.name = o.name ?? 'exact';
    this.gating = o.gating ?? true;
  }
  score(input: ScoreInput): Score {
    const expected = expectedOf(input, this.name, this.o.value);
    const pass = normalise(input.output.text, this.o) === normalise(expected, this.o);
    return { name: this.name, value: pass ? 1 : 0, pass, ...(pass ? {} : { reason: `expected '${excerpt(expected)}', got '${excerpt(input.output.text)}'` }) };
  }
}
