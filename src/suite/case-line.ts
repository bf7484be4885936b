import { z } from 'zod';
import type { InputIssue } from '../errors.js';
import { dottedPath } from '../config/yaml-source.js';
import type { Case } from './types.js';

/** `expected` may be written as JSON (an object for JSON extraction); cases store it as text. */
const Expected = z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);

const CaseLineSchema = z.strictObject({
  id: z.union([z.string().min(1), z.number().int()], { error: 'id must be a non-empty string (or an integer)' }),
  vars: z.record(z.string(), z.unknown(), { error: 'vars must be an object of template variables' }).default({}),
  expected: Expected.optional(),
  context: z.string().optional(),
  tags: z.array(z.string().min(1)).default([]),
});

export function expectedText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export type Parsed = { case: Case; issues?: undefined } | { case?: undefined; issues: InputIssue[] };

/** One line of a suite-native JSONL case file → a Case, or every issue with file, line and key. */
export function parseCaseLine(file: string, line: number, text: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { issues: [{ file, line, message: `malformed JSON: ${(err as Error).message}` }] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { issues: [{ file, line, message: 'a case is a JSON object {"id", "vars", "expected"?, "context"?, "tags"?}' }] };
  }
  const res = CaseLineSchema.safeParse(raw);
  if (!res.success) {
    return {
      issues: res.error.issues.map((i) =>
        i.code === 'unrecognized_keys'
          ? { file, line, path: i.keys.join(', '), message: `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')} (a case has id, vars, expected, context, tags)` }
          : { file, line, path: dottedPath(i.path as PropertyKey[]) || undefined, message: i.message }),
    };
  }
  const v = res.data;
  return { case: { id: String(v.id), vars: v.vars, expected: expectedText(v.expected), context: v.context, tags: v.tags, source: { file, line } } };
}
