import { Command, Option } from 'commander';
import { createRequire } from 'node:module';
import { exitCodeFor, reportError } from './error-boundary.js';
import { guardOutputStreams } from './output.js';
import { registerCommands } from './commands/index.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('llmops')
    .description('Evaluate LLMs offline, gate releases on a baseline, and roll models out through a gateway with canaries, A/B tests and automatic rollback.')
    .version(version)
    // Contract: usage errors exit 2, not commander's default 1 (which means "gate failed").
    .exitOverride()
    .showSuggestionAfterError()
    .addOption(new Option('--db <path>', 'SQLite database (env LLMOPS_DB, default .llmops/llmops.db)'))
    .addOption(new Option('--config <file>', 'project config (default ./llmops.yaml)'))
    .addOption(new Option('--json', 'machine-readable output on stdout, nothing else'))
    .addOption(new Option('--gateway <url>', 'gateway base URL (env LLMOPS_GATEWAY_URL, default http://127.0.0.1:8787)'))
    .addOption(new Option('--no-color', 'disable colours'));
  program.addHelpText('after', '\nExit codes: 0 ok / gate passed, 1 gate failed, 2 usage or input error, 3 run incomplete, 4 gate inconclusive.');
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // A closed output pipe must not crash the process with exit 1, which means "gate failed".
  guardOutputStreams();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    reportError(err);
    return exitCodeFor(err);
  }
}

const code = await main(process.argv);
process.exitCode = code;
