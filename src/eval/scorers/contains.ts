import { z } from 'zod';
import { excerpt, expectedOf } from './expected.js';
import { scorerOptions } from './options.js';
import type { Score, ScoreInput, Scorer } from './types.js';

export const ContainsOptionsSchema = scorerOptions({
  /** Text (or texts) to look for; default: the case's `expected`. */
  value: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** With a list: pass when `any` is present, or only when `all` are (default all). */
  mode: z.enum(['any', 'all']).default('all'),
  caseSensitive: z.boolean().default(false),
});

/** `contains`: the output contains the expected text (or any/all of a list). Case-insensitive by default. */
export class ContainsScorer implements Scorer {
  readonly type = 'contains';
  readonly gating: boolean;
  readonly name: string;
  constructor(private readonly o: z.output<typeof ContainsOptionsSchema>) {
    this.name = o.name ?? 'contains';
    this.gating = o.gating ?? true;
  }
  score(input: ScoreInput): Score {
    const needles = this.o.value === undefined ? [expectedOf(input, this.name).trim()] : Array.isArray(this.o.value) ? this.o.value : [this.o.value];
    const fold = (s: string) => (this.o.caseSensitive ? s : s.toLowerCase());
    const hay = fold(input.output.text);
    const found = needles.filter((n) => hay.includes(fold(n)));
    const pass = this.o.mode === 'any' ? found.length > 0 : found.length === needles.length;
    const missing = needles.filter((n) => !found.includes(n));
    return {
      name: this.name,
      value: pass ? 1 : 0,
      pass,
      ...(pass ? {} : { reason: `missing ${missing.map((m) => `'${excerpt(m, 40)}'`).join(', ')}` }),
      ...(needles.length > 1 ? { meta: { found: found.length, of: needles.length } } : {}),
    };
  }
}
