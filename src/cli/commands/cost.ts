import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { globals, loadConfigFor } from '../context.js';
import { printJson, printResult } from '../output.js';

interface EstimateOptions {
  callsPerDay: string;
  mix?: string;
  pricePerCall?: string;
  models?: string;
  tokensPerCall?: string;
  fromLog?: string;
}

export function registerCostCommands(program: Command): void {
  const cost = program.command('cost').description('what routing saves');
  cost
    .command('estimate')
    .description('cost per day and per year (365 days) with and without complexity routing, and the saving')
    .requiredOption('--calls-per-day <n>', 'calls a day')
    .option('--mix <shares>', 'tier mix, e.g. fast=0.7,mid=0.1,powerful=0.2 (shares sum to 1)')
    .addOption(new Option('--from-log <db>', 'take the tier mix the gateway actually routed from its request log (SQLite)').conflicts('mix'))
    .option('--price-per-call <usd>', 'USD per call per tier, e.g. fast=0.002,mid=0.007,powerful=0.021')
    .addOption(new Option('--models <names>', 'llmops.yaml models per tier (price per 1M tokens), e.g. fast=demo-fast,mid=demo-fast,powerful=demo-powerful').conflicts('pricePerCall'))
    .option('--tokens-per-call <n>', 'assumed tokens per call with --models, e.g. input=800,output=300', 'input=800,output=300')
    .addHelpText('after', '\nUnrouted = every call on the powerful tier. A year is 365 days.\nExample: llmops cost estimate --calls-per-day 3000000 --mix fast=0.7,mid=0.1,powerful=0.2 --price-per-call fast=0.002,mid=0.007,powerful=0.021')
    .action(async (opts: EstimateOptions, cmd: Command) => {
      const { parseCallsPerDay, parseMix, parsePricePerCall, parseTierModels, parseTokensPerCall, pricesFromModels } = await import('../../cost/flags.js');
      const { estimateCost } = await import('../../cost/estimate.js');
      const { costEstimateJson, formatCostEstimate } = await import('../../cost/format.js');
      const callsPerDay = parseCallsPerDay(opts.callsPerDay);
      let mix;
      if (opts.fromLog !== undefined) {
        const { mixFromRequestLog } = await import('../../cost/from-log.js');
        mix = await mixFromRequestLog(opts.fromLog);
      } else if (opts.mix !== undefined) mix = parseMix(opts.mix);
      else throw new UsageError('give the tier mix: --mix fast=…,mid=…,powerful=… or --from-log <request-log db>');
      let prices;
      if (opts.pricePerCall !== undefined) prices = parsePricePerCall(opts.pricePerCall);
      else if (opts.models !== undefined) {
        const loaded = (await loadConfigFor(cmd));
        prices = pricesFromModels(parseTierModels(opts.models), loaded.config.models, parseTokensPerCall(opts.tokensPerCall ?? ''), loaded.file ?? 'llmops.yaml');
      } else throw new UsageError('give prices: --price-per-call fast=…,mid=…,powerful=… or --models fast=<model>,mid=<model>,powerful=<model>');
      const estimate = estimateCost({ callsPerDay, mix, pricePerCall: prices });
      if (globals(cmd).json) printJson(costEstimateJson(estimate, callsPerDay));
      else printResult(formatCostEstimate(estimate, callsPerDay));
    });
}
