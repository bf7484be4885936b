import { ConfigSchema } from '../config/schema.js';
import { dottedPath } from '../config/yaml-source.js';
import type { ScorerFactory } from '../eval/scorers/registry.js';
import { registryProviders } from './registry-providers.js';
import { createJudgeScorer, JUDGE_SCORER_TYPES } from './scorer-factories.js';

/**
 * Registers llm-judge, faithfulness, reference-match and pairwise with the scorer registry.
 * Judge and baseline model refs resolve through the provider registry with the run's config.
 */
export function registerJudgeScorers(register: (type: string, factory: ScorerFactory) => void): void {
  for (const type of JUDGE_SCORER_TYPES) {
    register(type, (spec, ctx) => {
      const loaded = ctx.config ?? { config: ConfigSchema.parse({}) };
      return createJudgeScorer(spec, {
        config: loaded.config,
        createProvider: registryProviders(loaded, ctx.env ?? process.env),
        suiteDir: ctx.suite.dir,
        at: { file: ctx.at.file, path: dottedPath(ctx.at.keyPath) },
      });
    });
  }
}
