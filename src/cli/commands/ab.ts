import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { ExperimentStatusView } from '../../experiment/view.js';
import { globals } from '../context.js';
import { info, printJson, printResult } from '../output.js';

const PRIMARY = ['thumbs_up', 'task_success', 'quality', 'latency', 'cost'];

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number ≥ 0');
  return n;
};
const positive = (v: string): number => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('a positive number');
  return n;
};
// No default for the repeated flags: commander would print it in --help as `(default: {})`.
const collectVariant = (v: string, prev: Record<string, string> | undefined): Record<string, string> => {
  const m = /^([AB])=(.+)$/.exec(v);
  if (!m) throw new InvalidArgumentError('NAME=MODEL with NAME A or B, e.g. A=gpt-4o-mini');
  return { ...prev, [m[1]!]: m[2]! };
};
const GUARDRAIL_METRICS = ['thumbs_up', 'task_success', 'quality', 'latency', 'cost', 'hallucination', 'error_rate'];
const collectGuardrail = (v: string, prev: Array<{ metric: string; margin: number }> | undefined): Array<{ metric: string; margin: number }> => {
  const m = /^([a-z_]+)=(\d+(?:\.\d+)?)$/.exec(v);
  if (!m || !GUARDRAIL_METRICS.includes(m[1]!)) throw new InvalidArgumentError(`METRIC=MARGIN with METRIC one of ${GUARDRAIL_METRICS.join(', ')}, e.g. error_rate=0.02 or latency=0.5`);
  return [...(prev ?? []), { metric: m[1]!, margin: Number(m[2]) }];
};

/** `50/50`, `90/10` → percent to B. */
export function parseSplit(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(text);
  if (!m || Math.abs(Number(m[1]) + Number(m[2]) - 100) > 1e-9 || !(Number(m[2]) > 0 && Number(m[2]) < 100)) throw new InvalidArgumentError('A/B percentages summing to 100, e.g. 50/50 or 90/10');
  return Number(m[2]);
}

async function admin(cmd: Command) {
  const { AdminClient, DEFAULT_GATEWAY_URL, ADMIN_TOKEN_ENV } = await import('../../admin-client/client.js');
  return new AdminClient(globals(cmd).gateway ?? DEFAULT_GATEWAY_URL, process.env[ADMIN_TOKEN_ENV] || undefined);
}

async function show(cmd: Command, v: ExperimentStatusView): Promise<void> {
  if (globals(cmd).json) return printJson(v);
  const { formatExperimentText } = await import('../../experiment/format.js');
  printResult(formatExperimentText(v));
}

interface StartOpts { variant: Record<string, string>; split: number; metric: string; minSamples: number; minDays: number; minDuration?: string; alpha: number; guardrail?: Array<{ metric: string; margin: number }>; guardrailMinSamples: number }

export function registerAbCommands(program: Command): void {
  const ab = program.command('ab').description('A/B experiments between models on a gateway deployment: sticky users, always-valid statistics, guardrail auto-stop');

  ab.command('start <deployment>')
    .description('start an experiment: A is the deployment\'s current model (control), B the challenger')
    .requiredOption('--variant <NAME=MODEL>', 'A=<model> and B=<model> (gateway upstreams); repeat the flag', collectVariant)
    .addOption(new Option('--split <A/B>', 'traffic split in percent').argParser(parseSplit).default(50, '50/50'))
    .option('--metric <name>', `primary metric: ${PRIMARY.join('|')}`, 'thumbs_up')
    .option('--min-samples <n>', 'samples of the primary metric per variant before any conclusion', positiveInt, 1000)
    // --min-days and --min-duration say the same thing: giving both is a usage error (exit 2).
    .addOption(new Option('--min-days <n>', 'days before any conclusion (weekly patterns)').argParser(positive).default(7).conflicts('minDuration'))
    .option('--min-duration <d>', 'the same as a duration (30s, 10m, 2h, 7d), instead of --min-days')
    .option('--alpha <p>', 'significance level of the primary metric', positive, 0.05)
    .option('--guardrail <METRIC=MARGIN>', 'a guardrail and its tolerated harm (rates: points, e.g. error_rate=0.02; means: share of A, e.g. latency=0.5); repeat; replaces the defaults (default: error_rate=0.02 quality=0.05 latency=0.5 hallucination=0.03)', collectGuardrail)
    .option('--guardrail-min-samples <n>', 'samples per variant before a guardrail may stop the experiment', positiveInt, 100)
    .action(async (deployment: string, o: StartOpts, cmd: Command) => {
      if (!o.variant.A || !o.variant.B) throw new UsageError('both --variant A=<model> and --variant B=<model> are required');
      if (!PRIMARY.includes(o.metric)) throw new UsageError(`--metric must be one of ${PRIMARY.join(', ')} (got ${o.metric})`);
      const { parseDuration } = await import('../../canary/duration.js');
      if (o.minDuration !== undefined && parseDuration(o.minDuration) === undefined) throw new UsageError(`--min-duration must be a duration like 30s, 10m, 2h or 7d (got ${o.minDuration})`);
      const minDuration = o.minDuration ?? `${o.minDays}d`;
      const body = {
        variants: { A: o.variant.A, B: o.variant.B }, split: o.split, metric: o.metric, minSamples: o.minSamples, minDuration, alpha: o.alpha,
        ...(o.guardrail === undefined ? {} : { guardrails: o.guardrail }),
        guardrailMinSamples: o.guardrailMinSamples,
      };
      const v = await (await admin(cmd)).experiment<ExperimentStatusView>(deployment, 'start', body);
      info(`A/B experiment ${v.id} started on ${deployment}: A=${v.variants.A.model} ${100 - v.spec.splitB}%, B=${v.variants.B.model} ${v.spec.splitB}%`);
      await show(cmd, v);
    });

  ab.command('status <deployment>')
    .description('per-variant metrics, lift with its confidence interval, p-values, guardrails, sample-ratio check and the decision')
    .action(async (deployment: string, _o: unknown, cmd: Command) => {
      await show(cmd, await (await admin(cmd)).experiment<ExperimentStatusView>(deployment, 'status'));
    });

  ab.command('stop <deployment>')
    .description('stop the experiment: --winner B promotes B through the admin API; otherwise all traffic returns to A')
    .option('--winner <A|B>', 'the winning variant (refused unless the data supports it, see --force)')
    .option('--reason <text>', 'recorded in the event log')
    .option('--force', 'accept a winner the data does not support')
    .action(async (deployment: string, o: { winner?: string; reason?: string; force?: boolean }, cmd: Command) => {
      if (o.winner !== undefined && o.winner !== 'A' && o.winner !== 'B') throw new UsageError(`--winner must be A or B (got ${o.winner})`);
      const v = await (await admin(cmd)).experiment<ExperimentStatusView>(deployment, 'stop', { ...(o.winner ? { winner: o.winner } : {}), ...(o.reason ? { reason: o.reason } : {}), ...(o.force ? { force: true } : {}) });
      info(o.winner === 'B' ? `B (${v.variants.B.model}) promoted on ${deployment}` : `experiment stopped; all traffic on A (${v.variants.A.model})`);
      await show(cmd, v);
    });

  ab.command('watch <deployment>')
    .description('refresh the experiment status until it stops (full screen on a terminal, one line per refresh otherwise)')
    .option('--interval <seconds>', 'refresh period', positive, 2)
    .action(async (deployment: string, o: { interval: number }, cmd: Command) => {
      const c = await admin(cmd);
      const poll = () => c.experiment<ExperimentStatusView>(deployment, 'status');
      const first = await poll();
      if (process.stdout.isTTY && !globals(cmd).json) {
        // Ink and React load only here, on the interactive path.
        const { render } = await import('ink');
        const { createElement } = await import('react');
        const { AbWatch } = await import('../../ui/ab-watch.js');
        const app = render(createElement(AbWatch, { initial: first, poll, intervalMs: o.interval * 1000 }));
        await app.waitUntilExit();
        return;
      }
      const { formatExperimentLine } = await import('../../experiment/format.js');
      const { setTimeout: sleep } = await import('node:timers/promises');
      for (let v = first; ; v = await poll()) {
        if (globals(cmd).json) process.stdout.write(`${JSON.stringify(v)}\n`);
        else printResult(formatExperimentLine(v));
        if (v.status === 'stopped') return;
        await sleep(o.interval * 1000);
      }
    });
}
