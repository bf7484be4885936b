import { InvalidArgumentError, type Command } from 'commander';
import { globals } from '../context.js';
import { info, printJson, printResult } from '../output.js';

function parseSeconds(v: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('a positive number of seconds');
  return n;
}

async function client(cmd: Command) {
  const { CanaryClient } = await import('../../canary/canary-client.js');
  const { DEFAULT_GATEWAY } = await import('../context.js');
  return new CanaryClient(globals(cmd).gateway ?? DEFAULT_GATEWAY, process.env.LLMOPS_ADMIN_TOKEN);
}

async function show(cmd: Command, view: import('../../canary/status-view.js').CanaryStatusView): Promise<void> {
  if (globals(cmd).json) return printJson(view);
  const { formatStatusText } = await import('../../canary/view-model.js');
  printResult(formatStatusText(view));
}

export function registerCanaryCommands(program: Command): void {
  const canary = program.command('canary').description('staged canary of a candidate model on a gateway deployment, with automatic rollback');

  canary
    .command('start <deployment>')
    .description('start a canary: the candidate upstream gets each stage\'s share of traffic once the previous stage passed its checks')
    .requiredOption('--candidate <model>', 'the candidate (an upstream of the gateway)')
    .option('--stages <plan>', 'stages as weight:duration,…,100[:keep-warm] (durations s/m/h/d; optional leading shadow:<dur>)', '5:2h,25:6h,50:24h,100')
    .action(async (deployment: string, opts: { candidate: string; stages: string }, cmd: Command) => {
      const { parsePlan } = await import('../../canary/plan.js');
      parsePlan(opts.stages); // validate locally first: a bad plan exits 2 before any request
      const view = await (await client(cmd)).call('start', deployment, { candidate: opts.candidate, stages: opts.stages });
      info(`canary of ${view.candidate} started on ${deployment} at ${view.stage}`);
      await show(cmd, view);
    });

  canary
    .command('status <deployment>')
    .description('stage, time left, traffic split, live metrics against the baseline, recent events')
    .action(async (deployment: string, _opts: unknown, cmd: Command) => {
      await show(cmd, await (await client(cmd)).call('status', deployment));
    });

  for (const action of ['pause', 'resume'] as const) {
    canary
      .command(`${action} <deployment>`)
      .description(action === 'pause' ? 'hold the current stage (its clock stops; rollback triggers stay armed)' : 'continue a paused canary')
      .action(async (deployment: string, _opts: unknown, cmd: Command) => {
        await show(cmd, await (await client(cmd)).call(action, deployment));
      });
  }

  canary
    .command('abort <deployment>')
    .description('stop the canary and send all traffic back to the baseline')
    .option('--reason <text>', 'recorded in the event log')
    .action(async (deployment: string, opts: { reason?: string }, cmd: Command) => {
      await show(cmd, await (await client(cmd)).call('abort', deployment, opts.reason === undefined ? {} : { reason: opts.reason }));
    });

  canary
    .command('watch <deployment>')
    .description('live dashboard (keys: p promote, r rollback, space pause/resume, q quit); plain status lines when stdout is not a TTY')
    .option('--interval <seconds>', 'refresh period', parseSeconds, 1)
    .action(async (deployment: string, opts: { interval: number }, cmd: Command) => {
      const c = await client(cmd);
      const first = await c.call('status', deployment);
      const intervalMs = opts.interval * 1000;
      if (process.stdout.isTTY && process.stdin.isTTY && !globals(cmd).json) {
        // Ink and React load only here, on the interactive path.
        const { render } = await import('ink');
        const { createElement } = await import('react');
        const { CanaryDashboard } = await import('../../ui/canary-dashboard.js');
        const app = render(createElement(CanaryDashboard, {
          initial: first, intervalMs,
          poll: () => c.call('status', deployment),
          act: (a) => c.call(a, deployment, a === 'rollback' ? { reason: 'rolled back from the dashboard' } : undefined),
        }));
        await app.waitUntilExit();
        return;
      }
      const { formatStatusLine } = await import('../../canary/view-model.js');
      const { setTimeout: sleep } = await import('node:timers/promises');
      for (let v = first; ; v = await c.call('status', deployment)) {
        if (globals(cmd).json) process.stdout.write(`${JSON.stringify(v)}\n`);
        else printResult(formatStatusLine(v));
        if (v.phase === 'completed' || v.phase === 'rolled_back' || v.phase === 'aborted') return;
        await sleep(intervalMs);
      }
    });
}
