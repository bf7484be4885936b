import { input, select } from '@inquirer/prompts';
import type { GradingPrompts } from '../review/grade-session.js';
import { PromptKeys, type KeySource } from './prompt-keys.js';

/**
 * The prompts of `llmops review grade`: @inquirer/prompts `select` and `input`, rendered on
 * `output` (stderr in the CLI, so stdout stays for results) and fed by one PromptKeys reader,
 * so keys typed or pasted faster than the prompts appear answer the questions in order.
 * `close()` gives the terminal back.
 */
export function terminalGradingPrompts(source: KeySource, output: () => NodeJS.WritableStream): GradingPrompts & { close(): void } {
  const keys = new PromptKeys(source);
  return {
    select: (c) => select(c, { input: keys.input(), output: output() }),
    input: (c) => input(c, { input: keys.input(), output: output() }),
    close: () => keys.close(),
  };
}
