import type { Command } from 'commander';
import { registerCanaryCommands } from './canary.js';
import { registerDemoCommands } from './demo.js';
import { registerEvalCommands } from './eval.js';
import { registerJudgeCommands } from './judge.js';
import { registerReviewCommands } from './review.js';
import { registerRunsCommands } from './runs.js';
import { registerGateCommands } from './gate.js';
import { registerRouterCommands } from './router.js';
import { registerCostCommands } from './cost.js';
import { registerAbCommands } from './ab.js';
import { registerGatewayCommands } from './gateway.js';
import { registerDeploymentsCommands } from './deployments.js';

/**
 * Every command group, in help order. Each module only declares commands; heavy modules are
 * imported inside the action handlers so `llmops --help` stays fast.
 */
export function registerCommands(program: Command): void {
  registerEvalCommands(program);
  registerRunsCommands(program);
  registerGateCommands(program);
  registerJudgeCommands(program);
  registerGatewayCommands(program);
  registerDeploymentsCommands(program);
  registerCanaryCommands(program);
  registerDemoCommands(program);
  registerAbCommands(program);
  registerRouterCommands(program);
  registerCostCommands(program);
  registerReviewCommands(program);
}
