import type { z } from 'zod';

/** One problem a zod schema found, with the key path it belongs to. */
export interface SchemaIssue {
  path: PropertyKey[];
  message: string;
  /** The key itself is wrong (an unknown key): point at the key, not at its value or its parent. */
  atKey: boolean;
}

type Issue = z.core.$ZodIssue;

/**
 * Flattens zod issues for error messages. zod reports the unknown keys of an object once, at the
 * object's path, with their names in `keys`; each unknown key becomes its own issue here, at its
 * own key path (`models.m1.colour`), so it can be located at its own line. A union no option
 * accepts is opened up (see unionIssues) rather than reported as a bare "Invalid input".
 */
export function schemaIssues(error: z.ZodError, prefix: readonly PropertyKey[] = [], unknown = 'key'): SchemaIssue[] {
  return flatten(error.issues, prefix, unknown);
}

function flatten(issues: readonly Issue[], prefix: readonly PropertyKey[], unknown: string): SchemaIssue[] {
  return issues.flatMap((iss): SchemaIssue[] => {
    const path = [...prefix, ...iss.path];
    if (iss.code === 'unrecognized_keys') return iss.keys.map((k) => ({ path: [...path, k], message: `unknown ${unknown} '${k}'`, atKey: true }));
    // A union with a message of its own (`{ error: … }`) or no option issues (a discriminator
    // that matched no option) already says what is wrong.
    if (iss.code === 'invalid_union' && iss.errors.length > 0 && iss.message === UNION_DEFAULT) return unionIssues(iss.errors, path, unknown);
    return [{ path, message: iss.message, atKey: false }];
  });
}

/** zod's message for a union that no option accepts. */
const UNION_DEFAULT = 'Invalid input';

/** The value is not of the type (or literal) an option wants, as opposed to being wrong inside. */
const wrongType = (i: Issue): boolean => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union');

/**
 * A union no option accepts. When an option took the value's type and failed only inside it
 * (`value: [1]` against `string | string[]`: the list option fails at `value[0]`), its issues are
 * the real problem and are reported at their own keys. Otherwise one issue at the union's path
 * lists what the options expect (`expected int or string, received array`).
 */
function unionIssues(options: readonly Issue[][], path: readonly PropertyKey[], unknown: string): SchemaIssue[] {
  const matched = options.filter((o) => !o.some(wrongType));
  if (matched.length > 0) {
    const closest = matched.reduce((best, o) => (o.length < best.length ? o : best));
    return flatten(closest, path, unknown);
  }
  const expected = [...new Set(options.flatMap((o) => o.filter(wrongType).flatMap((i) =>
    i.code === 'invalid_type' ? [i.expected] : i.code === 'invalid_value' ? i.values.map((v) => JSON.stringify(v)) : [])))];
  if (expected.length === 0) return [{ path: [...path], message: UNION_DEFAULT, atKey: false }];
  // zod's invalid_type issues carry the received type only in their message.
  const received = options.flat().map((i) => (i.code === 'invalid_type' ? /received (\S+)$/.exec(i.message)?.[1] : undefined)).find((r) => r !== undefined);
  const list = expected.length === 1 ? expected[0] : `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}`;
  return [{ path: [...path], message: `Invalid input: expected ${list}${received === undefined ? '' : `, received ${received}`}`, atKey: false }];
}

/**
 * Adds the issues of a sub-schema parsed inside a refinement to the outer context, keeping their
 * codes (an unknown key stays an unknown key, reported at its own key by schemaIssues) and their
 * paths, relative to the refined value.
 */
export function forwardIssues(ctx: z.core.$RefinementCtx, error: z.ZodError): void {
  for (const iss of error.issues) ctx.addIssue({ ...iss });
}
