import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { globals } from '../context.js';

const positiveInt = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} ${v}: expected a positive whole number.`);
  return n;
};

function parseShard(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${v}: expected k/n with 1 ≤ k ≤ n, e.g. 2/4.`);
  return { index, count };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

interface EvalFlags {
  model?: string[];
  concurrency?: number;
  baseline?: string;
  resume?: string;
  limit?: number;
  filter?: string[];
  sample?: number;
  seed?: string;
  repeat: number;
  cache: boolean;
  record?: string;
  output?: string[];
  shard?: { index: number; count: number };
  errorBudget?: number;
  inconclusive?: 'pass' | 'fail';
}

export function registerEvalCommands(program: Command): void {
  program
    .command('eval')
    .description('run suites against candidate models; every score is stored in SQLite')
    .argument('[suite...]', 'suite folders or suite.yaml files (default: `suites:` in llmops.yaml)')
    .option('-m, --model <ref...>', 'model refs: names under `models:` in llmops.yaml, or provider:model (default: `defaultModels:`)')
    .option('-j, --concurrency <n>', 'calls in flight overall (default: run.concurrency in llmops.yaml, else 8)', positiveInt('-j'))
    .option('--baseline <ref>', 'gate against a baseline: a model ref (run now, or reused), a run id, or "pinned"')
    .option('--resume <run-id>', 'finish an interrupted run: only missing (and errored) cases run')
    .option('--limit <n>', 'first n selected cases', positiveInt('--limit'))
    .option('--filter <tag>', 'only cases with this tag (repeatable: any of them)', collect)
    .option('--sample <n>', 'a deterministic random sample of n cases (see --seed)', positiveInt('--sample'))
    .option('--seed <s>', 'seed of --sample', '1')
    .option('--repeat <n>', 'evaluate each case n times (measures sampling noise)', positiveInt('--repeat'), 1)
    .option('--no-cache', 'do not reuse cached responses')
    .option('--record <file>', 'append every model answer to a JSONL recording (replay it with provider: replay)')
    .option('--output <file...>', 'also write results: .json, .jsonl, .xml (JUnit), .md')
    .option('--shard <k/n>', 'run only shard k of n (deterministic by case id), for CI fan-out', parseShard)
    .addOption(new Option('--error-budget <fraction>', 'max share of errored results for a complete run (default 0.05)').argParser((v) => {
      const n = Number(v);
      if (!(n >= 0 && n <= 1)) throw new UsageError(`--error-budget ${v}: expected a number from 0 to 1.`);
      return n;
    }))
    .addOption(new Option('--inconclusive <verdict>', 'with --baseline: how an inconclusive gate exits').choices(['pass', 'fail']))
    .action(async (suites: string[], flags: EvalFlags, cmd: Command) => {
      const { runEvalCommand } = await import('./eval-action.js');
      process.exitCode = await runEvalCommand(suites, flags, globals(cmd));
    });
}

export type { EvalFlags };
