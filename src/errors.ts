/**
 * One error hierarchy for the whole product. Exit codes live on the error type and only
 * `cli/` turns them into a process exit code (see DESIGN.md "Exit codes").
 */
export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  usage: 2,
  incomplete: 3,
  inconclusive: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class LlmopsError extends Error {
  readonly exitCode: ExitCodeValue;
  /** One line telling the user what to do about it. */
  readonly hint: string | undefined;
  constructor(message: string, opts: { exitCode?: ExitCodeValue; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.exitCode = opts.exitCode ?? ExitCode.usage;
    this.hint = opts.hint;
  }
}

/** Bad command-line usage: unknown flag value, missing argument, refused non-interactive action. */
export class UsageError extends LlmopsError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, ...(hint === undefined ? {} : { hint }) });
  }
}

/** Where in a user file a problem is. `line`/`column` are 1-based; `path` is the dotted key path. */
export interface SourceLocation {
  file: string;
  line?: number | undefined;
  column?: number | undefined;
  path?: string | undefined;
}

export interface InputIssue extends SourceLocation {
  message: string;
}

export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  if (loc.path) s += ` (${loc.path})`;
  return s;
}

/**
 * A user file (config, suite, dataset, labels…) is invalid. Carries *every* issue found, each
 * with file, line, column and key path, so the user can fix them all in one pass.
 */
export class InputError extends LlmopsError {
  readonly issues: InputIssue[];
  constructor(issues: InputIssue[], hint?: string) {
    const head = issues.length === 1 ? 'Invalid input' : `Invalid input (${issues.length} problems)`;
    const body = issues.map((i) => `  ${formatLocation(i)}: ${i.message}`).join('\n');
    super(`${head}:\n${body}`, { exitCode: ExitCode.usage, ...(hint === undefined ? {} : { hint }) });
    this.issues = issues;
  }
  static at(loc: SourceLocation, message: string, hint?: string): InputError {
    return new InputError([{ ...loc, message }], hint);
  }
}

/** A required environment variable (API key…) is not set. */
export class MissingEnvError extends LlmopsError {
  readonly variable: string;
  constructor(variable: string, forWhat: string) {
    super(`Environment variable ${variable} is not set (needed by ${forWhat}).`, {
      exitCode: ExitCode.usage,
      hint: `export ${variable}=… and run again.`,
    });
    this.variable = variable;
  }
}

/** The SQLite store cannot be opened, is corrupt, or is not writable. */
export class StoreError extends LlmopsError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.usage, ...(hint === undefined ? {} : { hint }), cause });
  }
}

/** A run could not complete: error budget exceeded, interrupted, upstream down. */
export class IncompleteRunError extends LlmopsError {
  readonly runId: string | undefined;
  constructor(message: string, runId?: string, hint?: string) {
    super(message, { exitCode: ExitCode.incomplete, ...(hint === undefined ? {} : { hint }) });
    this.runId = runId;
  }
}

/** Something referenced by id/name does not exist (run, baseline, deployment…). */
export class NotFoundError extends LlmopsError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, ...(hint === undefined ? {} : { hint }) });
  }
}

/**
 * The request conflicts with the current state (an action on a canary that already ended, a
 * second canary on a deployment). The admin API answers 409; the CLI exits 2.
 */
export class ConflictError extends LlmopsError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, ...(hint === undefined ? {} : { hint }) });
  }
}

/** A remote service (gateway admin API…) is unreachable or refused us. */
export class RemoteError extends LlmopsError {
  readonly status: number | undefined;
  constructor(message: string, opts: { status?: number; hint?: string; exitCode?: ExitCodeValue } = {}) {
    super(message, { exitCode: opts.exitCode ?? ExitCode.incomplete, ...(opts.hint === undefined ? {} : { hint: opts.hint }) });
    this.status = opts.status;
  }
}
