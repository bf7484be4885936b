import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, type InputIssue } from '../errors.js';

/** Why `path` cannot be written (created with its missing folders, or replaced), or undefined when it can. */
export function whyNotWritable(path: string): string | undefined {
  const abs = resolve(path);
  const here = statOrUndefined(abs);
  if (here?.isDirectory()) return 'is a folder, not a file';
  // Written through a temporary sibling and a rename: the folder must take new files.
  let dir = dirname(abs);
  let st = statOrUndefined(dir);
  while (st === undefined && dirname(dir) !== dir) {
    dir = dirname(dir);
    st = statOrUndefined(dir);
  }
  if (st === undefined) return 'no folder on its path exists';
  if (!st.isDirectory()) return `${dir} is a file, so no folder can be created there`;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    if (here !== undefined) accessSync(abs, constants.W_OK);
  } catch (err) {
    return `not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  return undefined;
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (err) {
    // ENOTDIR: a file stands where a folder on the path should be; the loop walks up to it.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * Checks every file a command is about to write before it writes the first one, so a target it
 * cannot write fails the command (exit 2, naming every such path) with nothing half-written.
 */
export function assertWritable(paths: ReadonlyArray<string>, hint?: string): void {
  const issues: InputIssue[] = [];
  for (const p of new Set(paths.map((x) => resolve(x)))) {
    const why = whyNotWritable(p);
    if (why !== undefined) issues.push({ file: p, message: `cannot be written: ${why}` });
  }
  if (issues.length > 0) throw new InputError(issues, hint ?? 'Nothing was written. Choose another path.');
}
