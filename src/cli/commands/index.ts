import type { Command } from 'commander';
import { registerCanaryCommands } from './canary.js';
import { registerEvalCommands } from './eval.js';
import { registerJudgeCommands } from './judge.js';
import { registerReviewCommands } from './review.js';
import { registerRunsCommands } from './runs.js';
import { registerRouterCommands } from './router.js';
import { registerCostCommands } from './cost.js';

/**
 * Every command group, in help order. Each module only declares commands; heavy modules are
 * imported inside the action handlers so `llmops --help` stays fast.
 */
export function registerCommands(program: Command): void {
  registerEvalCommands(program);
  registerRunsCommands(program);
  registerJudgeCommands(program);
  registerCanaryCommands(program);
  registerRouterCommands(program);
  registerCostCommands(program);
  registerReviewCommands(program);
}
