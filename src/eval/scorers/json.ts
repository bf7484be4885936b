import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { z } from 'zod';
import { lookupPath } from '../../suite/template.js';
import { excerpt, expectedOf } from './expected.js';
import { extractJson, jsonEqual } from './json-extract.js';
import { scorerOptions } from './options.js';
import { ScorerError, type Score, type ScoreInput, type Scorer } from './types.js';

export const JsonOptionsSchema = scorerOptions({
  /** A JSON Schema (inline), or the path of a .json schema file relative to the suite. */
  schema: z.union([z.record(z.string(), z.unknown()), z.string().min(1)]).optional(),
  /**
   * Compare with the case's `expected` JSON: `true` = every field of expected, a list = these
   * (dotted) fields only, `false` = no comparison. Default: true when the case has `expected`.
   */
  compare: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).optional(),
  /** String values compared ignoring case (they are always trimmed). */
  caseSensitive: z.boolean().default(true),
});
export type JsonOptions = z.output<typeof JsonOptionsSchema>;

/** Compiles the schema option; the factory turns a throw here into an issue at `schema`. */
export function compileJsonSchema(schema: JsonOptions['schema'], suiteDir: string): ValidateFunction | undefined {
  if (schema === undefined) return undefined;
  let obj: unknown = schema;
  if (typeof schema === 'string') {
    const file = resolve(suiteDir, schema);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read schema file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
      obj = JSON.parse(text);
    } catch (err) {
      throw new Error(`schema file ${file} is not JSON: ${(err as Error).message}`);
    }
  }
  return new Ajv({ allErrors: true, strict: false }).compile(obj as object);
}

/**
 * `json`: the output holds JSON (bare, in a ```json block, or inside prose) that satisfies the
 * JSON Schema and matches the expected fields. `value` is the share of checks passed.
 */
export class JsonScorer implements Scorer {
  readonly type = 'json';
  readonly gating: boolean;
  readonly name: string;
  constructor(private readonly o: JsonOptions, private readonly validate: ValidateFunction | undefined) {
    this.name = o.name ?? 'json';
    this.gating = o.gating ?? true;
  }

  private expectedJson(input: ScoreInput): unknown {
    const raw = expectedOf(input, this.name);
    try {
      return JSON.parse(raw);
    } catch {
      throw new ScorerError(this.name, `case ${input.case.id}: expected is not JSON ('${excerpt(raw)}')`);
    }
  }

  score(input: ScoreInput): Score {
    const compare = this.o.compare ?? input.case.expected !== undefined;
    const expected = compare === false ? undefined : this.expectedJson(input);
    const got = extractJson(input.output.text);
    if (!got.ok) return { name: this.name, value: 0, pass: false, reason: got.error };

    const problems: string[] = [];
    let checks = 0, passed = 0;
    if (this.validate) {
      checks++;
      if (this.validate(got.value)) passed++;
      else problems.push(`schema: ${(this.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')}`);
    }
    if (compare !== false) {
      const fields = compare === true ? (expected && typeof expected === 'object' && !Array.isArray(expected) ? Object.keys(expected) : ['']) : compare;
      for (const f of fields) {
        checks++;
        const path = f === '' ? [] : f.split('.');
        const want = path.length ? lookupPath(expected, path) : expected;
        const have = path.length ? lookupPath(got.value, path) : got.value;
        if (jsonEqual(have, want, this.o)) passed++;
        else problems.push(`${f || '(value)'}: expected ${excerpt(JSON.stringify(want) ?? 'undefined', 40)}, got ${excerpt(JSON.stringify(have) ?? 'missing', 40)}`);
      }
    }
    const pass = problems.length === 0;
    return { name: this.name, value: checks === 0 ? 1 : passed / checks, pass, ...(pass ? {} : { reason: problems.join('; ') }) };
  }
}
