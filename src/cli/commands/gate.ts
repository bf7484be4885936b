import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { globals } from '../context.js';

export interface GateFlags {
  baseline?: string;
  aa?: string;
  model?: string;
  inconclusive?: 'pass' | 'fail';
  junit?: string;
  markdown?: string;
  seed?: string;
  resamples?: number;
}

const positiveInt = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 100) throw new UsageError(`${flag} ${v}: expected a whole number ≥ 100.`);
  return n;
};

/** `gate`, `baseline set|show` and `runs compare`. Heavy modules load inside the actions. */
export function registerGateCommands(program: Command): void {
  program
    .command('gate')
    .description('verdict of a stored run against a baseline: exit 0 pass, 1 fail, 4 inconclusive')
    .argument('[run]', 'candidate run id (or unique prefix)')
    .option('--baseline <ref>', 'baseline run id (or prefix), or "pinned" (default: the pinned baseline if any, else thresholds only)')
    .option('--aa <suite>', 'A/A calibration: run <suite> twice with -m, measure each metric\'s noise, store it as the suite\'s `noise` margins')
    .option('-m, --model <ref>', 'with --aa: the model to run twice')
    .addOption(new Option('--inconclusive <verdict>', 'exit as pass (0) or fail (1) when the gate is inconclusive (default: exit 4)').choices(['pass', 'fail']))
    .option('--junit <file>', 'also write JUnit XML, one testcase per gated metric')
    .option('--markdown <file>', 'also write the Markdown summary (it is appended to $GITHUB_STEP_SUMMARY whenever that is set)')
    .option('--seed <s>', 'bootstrap seed (default: policy `seed`, else 1)')
    .option('--resamples <n>', 'bootstrap resamples (default: policy `resamples`, else 10000)', positiveInt('--resamples'))
    .action(async (run: string | undefined, flags: GateFlags, cmd: Command) => {
      const { runGateCommand, runAaCommand } = await import('./gate-action.js');
      if (flags.aa !== undefined) {
        if (run !== undefined) throw new UsageError('--aa runs its own two runs; drop the run argument.');
        if (!flags.model) throw new UsageError('--aa needs -m <model>: the model to run twice.');
        process.exitCode = await runAaCommand(flags.aa, flags.model, flags, globals(cmd));
        return;
      }
      if (run === undefined) throw new UsageError('Which run? `llmops gate <run-id> --baseline <run-id|pinned>`.', 'See `llmops runs list` for run ids.');
      process.exitCode = await runGateCommand(run, flags, globals(cmd));
    });

  const baseline = program.command('baseline').description('the pinned baseline run of each suite');
  baseline
    .command('set <run>')
    .description('pin a completed run as its suite\'s baseline (used by --baseline pinned)')
    .action(async (run: string, _opts: unknown, cmd: Command) => {
      const { setBaselineCommand } = await import('./gate-action.js');
      setBaselineCommand(run, globals(cmd));
    });
  baseline
    .command('show')
    .description('pinned baselines, one per suite')
    .option('--suite <name>', 'only this suite')
    .action(async (opts: { suite?: string }, cmd: Command) => {
      const { showBaselineCommand } = await import('./gate-action.js');
      showBaselineCommand(opts.suite, globals(cmd));
    });

  // `runs compare` belongs with the gate's statistics; attach it to the existing `runs` group.
  const runs = program.commands.find((c) => c.name() === 'runs') ?? program.command('runs').description('stored evaluation runs');
  runs
    .command('compare <a> <b>')
    .description('per-metric change from run <a> (baseline) to run <b>, with confidence intervals, and the per-case flips')
    .option('--seed <s>', 'bootstrap seed')
    .option('--resamples <n>', 'bootstrap resamples', positiveInt('--resamples'))
    .option('--flips <n>', 'how many flipped cases to list each way', (v) => Number.parseInt(v, 10), 20)
    .action(async (a: string, b: string, opts: { seed?: string; resamples?: number; flips: number }, cmd: Command) => {
      const { compareRunsCommand } = await import('./gate-action.js');
      compareRunsCommand(a, b, opts, globals(cmd));
    });
}
