import { z } from 'zod';

/** Compiles a user regex, or returns the reason it is invalid. */
export function tryRegExp(pattern: string, flags = ''): RegExp | string {
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    return (err as Error).message;
  }
}

/** Number of capture groups of a (valid) pattern: matching the empty string reveals them. */
export function captureGroups(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!.length - 1;
}

const FieldName = z.string().min(1);

/** `cases:` as a mapping over an external JSONL or CSV dataset. */
export const DatasetMappingSchema = z.strictObject({
  path: z.string().min(1),
  /** Default: from the file extension (.csv → csv, otherwise jsonl). */
  format: z.enum(['jsonl', 'csv']).optional(),
  /** A field name, or `line` for the line number the record starts on. */
  id: FieldName.default('line'),
  idPrefix: z.string().default(''),
  vars: z.record(z.string().regex(/^[A-Za-z_][\w-]*$/, 'a variable name is letters, digits, _ or -'), FieldName).optional(),
  expected: FieldName.optional(),
  /** Regex with one capture group extracting the answer from the expected field, e.g. `#### (-?[\d,]+)`. */
  expectedPattern: z.string().min(1).superRefine((p, ctx) => {
    const re = tryRegExp(p);
    if (typeof re === 'string') ctx.addIssue({ code: 'custom', message: `invalid regex: ${re}` });
    else if (captureGroups(re) < 1) ctx.addIssue({ code: 'custom', message: 'needs one capture group around the answer, e.g. `#### (-?[\\d,]+)`' });
  }).optional(),
  context: FieldName.optional(),
  /** A field holding a tag (or a list of tags), or a list of fixed tags for every case. */
  tags: z.union([FieldName, z.array(z.string().min(1))]).optional(),
  /** Remove thousands separators from the expected answer (`2,125` → `2125`). */
  stripCommas: z.boolean().default(false),
  /** Trim whitespace around every mapped text value. */
  trim: z.boolean().default(false),
}).superRefine((v, ctx) => {
  if (v.expectedPattern !== undefined && v.expected === undefined) ctx.addIssue({ code: 'custom', path: ['expected'], message: '`expectedPattern` needs `expected: <field>` to apply to' });
});
export type DatasetMappingInput = z.output<typeof DatasetMappingSchema>;

/** `when:` on a scorer: the cases it applies to (by tag). Other cases get no score from it. */
export const WhenSchema = z.strictObject({
  /** Applies to cases having any of these tags. */
  tag: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** Does not apply to cases having any of these tags. */
  notTag: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
}).refine((w) => w.tag !== undefined || w.notTag !== undefined, 'give `tag` and/or `notTag`');

export const ScorerSpecSchema = z.looseObject({
  type: z.string().min(1),
  name: z.string().min(1).optional(),
  gating: z.boolean().optional(),
  when: WhenSchema.optional(),
});

export const SuiteFileSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'a suite name is letters, digits, ., _ or - (it names stored runs)'),
  description: z.string().optional(),
  system: z.string().optional(),
  prompt: z.string().min(1),
  /** A JSONL file relative to suite.yaml, or a mapping over an external dataset. */
  // The mapping's own keys are checked by DatasetMappingSchema (loadSuite), so its issues get their own key paths.
  cases: z.union([z.string().min(1), z.record(z.string(), z.unknown())], { error: '`cases` is a JSONL path or a dataset mapping {path, vars, expected, …}' }),
  scorers: z.array(ScorerSpecSchema).min(1, 'a suite needs at least one scorer'),
  /** Validated by gate/ (parseGatePolicy), passed through here. */
  gates: z.record(z.string(), z.unknown()).optional(),
});
export type SuiteFile = z.output<typeof SuiteFileSchema>;
