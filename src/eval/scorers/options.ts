import { z } from 'zod';
import { dottedPath, type Locate } from '../../config/yaml-source.js';
import { schemaIssues } from '../../config/zod-issues.js';
import { InputError, type InputIssue } from '../../errors.js';
import type { Suite } from '../../suite/types.js';

/** Where a scorer spec sits: the suite file and its key path (`['scorers', 2]`). */
export interface SpecAt {
  file: string;
  keyPath: PropertyKey[];
  /** Locates a key path in the suite file (absent for specs read back from a stored run). */
  locate?: Locate | undefined;
}

export function specAt(suite: Pick<Suite, 'file' | 'source'>, index: number): SpecAt {
  return { file: suite.file, keyPath: ['scorers', index], locate: suite.source?.locate };
}

/** An issue at a key below the spec, with line and column when the suite file is known (`key`: at the key itself, not its value). */
export function issueAt(at: SpecAt, sub: PropertyKey[], message: string, opts: { key?: boolean } = {}): InputIssue {
  const path = [...at.keyPath, ...sub];
  return { file: at.file, ...(at.locate?.(path, opts) ?? {}), path: dottedPath(path), message };
}

/** The keys every scorer accepts, plus its own: unknown keys are errors (typos never pass silently). */
export function scorerOptions<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject({ type: z.string(), name: z.string().min(1).optional(), gating: z.boolean().optional(), ...shape });
}

/**
 * The options of a scorer that measures one number per case and passes at or under `threshold`
 * when one is set. Without a threshold it only measures (pass null), so `gating: true` is refused.
 */
export function measuringScorerOptions() {
  return scorerOptions({ threshold: z.number().positive().optional() }).refine((o) => !(o.gating === true && o.threshold === undefined), {
    path: ['gating'],
    message: 'without a `threshold` this scorer only measures (no pass or fail), so it cannot gate; set a threshold or drop `gating: true`',
  });
}

/** Validates a scorer's options, reporting every issue with file:line:col and key path. */
export function parseOptions<S extends z.ZodType>(schema: S, spec: unknown, at: SpecAt): z.output<S> {
  const res = schema.safeParse(spec);
  if (res.success) return res.data;
  throw new InputError(schemaIssues(res.error, [], 'option').map((i) => issueAt(at, i.path, i.message, { key: i.atKey })));
}

/** Parses `scorers[2].pattern` back into a key path, to locate issues other modules reported. */
export function parseDottedPath(path: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}

/** Adds line/column to issues in the suite file that only carry a key path. */
export function locateIssues(err: InputError, at: SpecAt): InputError {
  if (!at.locate) return err;
  let changed = false;
  const issues = err.issues.map((i) => {
    if (i.file !== at.file || i.line !== undefined || !i.path) return i;
    changed = true;
    return { ...i, ...at.locate!(parseDottedPath(i.path)) };
  });
  return changed ? new InputError(issues, err.hint) : err;
}
