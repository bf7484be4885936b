import type { z } from 'zod';

/** One problem a zod schema found, with the key path it belongs to. */
export interface SchemaIssue {
  path: PropertyKey[];
  message: string;
  /** The key itself is wrong (an unknown key): point at the key, not at its value or its parent. */
  atKey: boolean;
}

/**
 * Flattens zod issues for error messages. zod reports the unknown keys of an object once, at the
 * object's path, with their names in `keys`; each unknown key becomes its own issue here, at its
 * own key path (`models.m1.colour`), so it can be located at its own line.
 */
export function schemaIssues(error: z.ZodError, prefix: readonly PropertyKey[] = [], unknown = 'key'): SchemaIssue[] {
  return error.issues.flatMap((iss): SchemaIssue[] =>
    iss.code === 'unrecognized_keys'
      ? iss.keys.map((k) => ({ path: [...prefix, ...iss.path, k], message: `unknown ${unknown} '${k}'`, atKey: true }))
      : [{ path: [...prefix, ...iss.path], message: iss.message, atKey: false }]);
}
