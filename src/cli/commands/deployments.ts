import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_GATEWAY, globals } from '../context.js';
import { info, printJson, printResult } from '../output.js';

async function client(cmd: Command) {
  const { AdminClient, ADMIN_TOKEN_ENV } = await import('../../admin-client/client.js');
  const g = globals(cmd);
  return new AdminClient(g.gateway ?? DEFAULT_GATEWAY, process.env[ADMIN_TOKEN_ENV] || undefined);
}

/**
 * Asks before a traffic-changing action: a TTY gets a confirm prompt, `--yes` skips it, and a
 * non-interactive caller without `--yes` is refused (exit 2) so scripts never hang or act by accident.
 */
async function confirmAction(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) throw new UsageError('Refusing to change live traffic without confirmation: not a terminal.', 'Pass --yes to confirm non-interactively.');
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: question, default: false }, { output: process.stderr });
}

export function registerDeploymentsCommands(program: Command): void {
  const deployments = program.command('deployments').description('deployments served by the gateway (admin API; --gateway / LLMOPS_GATEWAY_URL, token LLMOPS_ADMIN_TOKEN)');

  deployments
    .command('list')
    .description('deployments with their variants and weights')
    .action(async (_opts: unknown, cmd: Command) => {
      const list = await (await client(cmd)).list();
      if (globals(cmd).json) printJson(list);
      else printResult((await import('../../admin-client/format.js')).formatDeploymentList(list));
    });

  deployments
    .command('show <deployment>')
    .description('variants, weights, state, breakers and live per-variant stats')
    .action(async (d: string, _opts: unknown, cmd: Command) => {
      const detail = await (await client(cmd)).show(d);
      if (globals(cmd).json) printJson(detail);
      else printResult((await import('../../admin-client/format.js')).formatDeploymentDetail(detail));
    });

  program
    .command('promote <deployment>')
    .description('make the candidate the baseline (100% of traffic); the old baseline stays warm')
    .option('--variant <name>', 'candidate to promote (needed when there are several)')
    .option('--reason <text>', 'recorded in the event log')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (d: string, opts: { variant?: string; reason?: string; yes?: boolean }, cmd: Command) => {
      const c = await client(cmd);
      if (!(await confirmAction(`Promote ${opts.variant ?? 'the candidate'} of ${d} to baseline (100% of traffic)?`, opts.yes))) {
        info('Not promoted.');
        return;
      }
      const after = await c.promote(d, { ...(opts.variant ? { variant: opts.variant } : {}), ...(opts.reason ? { reason: opts.reason } : {}) });
      if (globals(cmd).json) printJson(after);
      else printResult(`Promoted: ${d} now sends 100% to ${after.variants.find((v) => v.role === 'baseline')?.name ?? '?'}.`);
    });

  program
    .command('rollback <deployment>')
    .description('send all traffic back to the baseline')
    .option('--reason <text>', 'why (recorded in the event log)', 'manual rollback from the CLI')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (d: string, opts: { reason: string; yes?: boolean }, cmd: Command) => {
      const c = await client(cmd);
      if (!(await confirmAction(`Roll ${d} back: all traffic to the baseline?`, opts.yes))) {
        info('Not rolled back.');
        return;
      }
      const after = await c.rollback(d, opts.reason);
      if (globals(cmd).json) printJson(after);
      else printResult(`Rolled back: ${d} sends 100% to ${after.variants.find((v) => v.role === 'baseline')?.name ?? '?'} (reason: ${opts.reason}).`);
    });
}
