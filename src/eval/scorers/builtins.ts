import { InputError } from '../../errors.js';
import { ContainsOptionsSchema, ContainsScorer } from './contains.js';
import { CostOptionsSchema, CostScorer } from './cost.js';
import { CustomOptionsSchema, CustomScorer, loadCustomScorer, resolveModule } from './custom.js';
import { ExactOptionsSchema, ExactScorer } from './exact.js';
import { compileJsonSchema, JsonOptionsSchema, JsonScorer } from './json.js';
import { LatencyOptionsSchema, LatencyScorer } from './latency.js';
import { NumericOptionsSchema, NumericScorer } from './numeric.js';
import { issueAt } from './options.js';
import { RegexOptionsSchema, RegexScorer } from './regex.js';
import type { ScorerFactory } from './registry.js';

const JUDGE_TYPES = ['llm-judge', 'faithfulness', 'reference-match', 'pairwise'] as const;

/** The deterministic scorers, plus the judge scorers (built by judge/, loaded only when a suite uses one). */
export function registerBuiltinScorers(register: (type: string, f: ScorerFactory) => void): void {
  register('exact', (spec, ctx) => new ExactScorer(ctx.parse(ExactOptionsSchema, spec)));
  register('contains', (spec, ctx) => new ContainsScorer(ctx.parse(ContainsOptionsSchema, spec)));
  register('regex', (spec, ctx) => new RegexScorer(ctx.parse(RegexOptionsSchema, spec)));
  register('numeric', (spec, ctx) => new NumericScorer(ctx.parse(NumericOptionsSchema, spec)));
  register('latency', (spec, ctx) => new LatencyScorer(ctx.parse(LatencyOptionsSchema, spec)));
  register('cost', (spec, ctx) => new CostScorer(ctx.parse(CostOptionsSchema, spec)));
  register('json', (spec, ctx) => {
    const o = ctx.parse(JsonOptionsSchema, spec);
    try {
      return new JsonScorer(o, compileJsonSchema(o.schema, ctx.suite.dir));
    } catch (err) {
      throw new InputError([issueAt(ctx.at, ['schema'], `invalid JSON Schema: ${(err as Error).message}`)]);
    }
  });
  register('custom', async (spec, ctx) => {
    const o = ctx.parse(CustomOptionsSchema, spec);
    try {
      return new CustomScorer(o, await loadCustomScorer(resolveModule(ctx.suite.dir, o.module)));
    } catch (err) {
      throw new InputError([issueAt(ctx.at, ['module'], (err as Error).message)]);
    }
  });
  for (const type of JUDGE_TYPES) {
    register(type, async (spec, ctx) => {
      const [{ createJudgeScorer }, { registryProviders }, { ConfigSchema }] = await Promise.all([
        import('../../judge/scorer-factories.js'),
        import('../../judge/registry-providers.js'),
        import('../../config/schema.js'),
      ]);
      const config = ctx.config?.config ?? ConfigSchema.parse({});
      return createJudgeScorer(spec, {
        config,
        createProvider: registryProviders({ config }, ctx.env ?? process.env),
        suiteDir: ctx.suite.dir,
        at: { file: ctx.at.file, path: ctx.at.keyPath.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${String(k)}` : String(k))).join(''), locate: ctx.at.locate },
      });
    });
  }
}
