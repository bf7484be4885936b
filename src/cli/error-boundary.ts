import { CommanderError } from 'commander';
import { ExitCode, LlmopsError } from '../errors.js';
import { dim, info, red } from './output.js';

/** Unexpected failures (bugs) exit with 70 (EX_SOFTWARE), distinct from every contract code. */
export const EXIT_INTERNAL = 70;

/** The one place that turns an error into a message and an exit code. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage;
  }
  if (err instanceof LlmopsError) return err.exitCode;
  if ((err as { name?: string })?.name === 'ExitPromptError') return ExitCode.usage;
  return EXIT_INTERNAL;
}

export function reportError(err: unknown): void {
  if (err instanceof CommanderError) return; // commander already printed its message
  if ((err as { name?: string })?.name === 'ExitPromptError') {
    info('Cancelled.');
    return;
  }
  if (err instanceof LlmopsError) {
    info(red(`error: ${err.message}`));
    if (err.hint) info(dim(`hint: ${err.hint}`));
    if (process.env.LLMOPS_DEBUG && err.cause) info(String((err.cause as Error).stack ?? err.cause));
    return;
  }
  info(red('internal error (a bug in llmops; please report it with this trace):'));
  info(String((err as Error)?.stack ?? err));
}
