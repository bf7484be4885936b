import type { ScorerSpec } from '../suite/types.js';
import { FaithfulnessOptionsSchema, FaithfulnessScorer } from '../eval/scorers/faithfulness.js';
import { LlmJudgeOptionsSchema, LlmJudgeScorer } from '../eval/scorers/llm-judge.js';
import { PairwiseOptionsSchema, PairwiseScorer } from '../eval/scorers/pairwise.js';
import { ReferenceMatchOptionsSchema, ReferenceMatchScorer } from '../eval/scorers/reference-match.js';
import type { Scorer } from '../eval/scorers/types.js';
import { InputError } from '../errors.js';
import { CaseVarBaseline, ModelBaseline } from './baseline.js';
import { createJudge, judgeRefFor, type JudgeContext } from './resolve.js';
import { loadRubric } from './rubric.js';
import { parseScorerOptions, type SpecLocation } from './scorer-support.js';

export interface JudgeScorerContext extends JudgeContext {
  /** Folder of suite.yaml: rubric paths resolve from here. */
  suiteDir: string;
  /** Where the spec sits (suite file + key path such as `scorers[1]`), for errors. */
  at: SpecLocation;
}

export const JUDGE_SCORER_TYPES = ['llm-judge', 'faithfulness', 'reference-match', 'pairwise'] as const;
export type JudgeScorerType = (typeof JUDGE_SCORER_TYPES)[number];

/** Creates one judge scorer from its suite spec; validates options, rubric and judge ref at load time. */
export async function createJudgeScorer(spec: ScorerSpec, ctx: JudgeScorerContext): Promise<Scorer> {
  const { config, at } = ctx;
  switch (spec.type) {
    case 'llm-judge': {
      const o = parseScorerOptions(LlmJudgeOptionsSchema, spec, at);
      let rubric;
      try {
        rubric = loadRubric(o.rubric, ctx.suiteDir);
      } catch (err) {
        // Point at the suite key too, so the user sees where the rubric was named.
        if (err instanceof InputError) throw new InputError([...err.issues, { file: at.file, path: `${at.path}.rubric`, message: `rubric '${o.rubric}' is invalid (see above)` }]);
        throw err;
      }
      if (o.threshold !== undefined && (o.threshold < rubric.scale.min || o.threshold > rubric.scale.max)) {
        throw new InputError([{ file: at.file, path: `${at.path}.threshold`, message: `threshold ${o.threshold} is off the rubric scale ${rubric.scale.min}..${rubric.scale.max}` }]);
      }
      const judge = await createJudge(judgeRefFor(o.judge, config, at), ctx);
      return new LlmJudgeScorer(o.name ?? 'llm-judge', o.gating ?? true, judge, rubric, o.threshold ?? rubric.scale.pass);
    }
    case 'faithfulness': {
      const o = parseScorerOptions(FaithfulnessOptionsSchema, spec, at);
      const judge = await createJudge(judgeRefFor(o.judge, config, at), ctx);
      return new FaithfulnessScorer(o.name ?? 'faithfulness', o.gating ?? true, judge, o.threshold);
    }
    case 'reference-match': {
      const o = parseScorerOptions(ReferenceMatchOptionsSchema, spec, at);
      const judge = await createJudge(judgeRefFor(o.judge, config, at), ctx);
      return new ReferenceMatchScorer(o.name ?? 'reference-match', o.gating ?? true, judge);
    }
    case 'pairwise': {
      const o = parseScorerOptions(PairwiseOptionsSchema, spec, at);
      const judge = await createJudge(judgeRefFor(o.judge, config, at), ctx);
      const baseline = o.baselineVar !== undefined ? new CaseVarBaseline(o.baselineVar) : new ModelBaseline((await ctx.createProvider(o.baseline as string)).provider);
      return new PairwiseScorer(o.name ?? 'pairwise', o.gating ?? false, judge, baseline, o.criteria);
    }
    default:
      throw new InputError([{ file: at.file, path: `${at.path}.type`, message: `'${spec.type}' is not a judge scorer (${JUDGE_SCORER_TYPES.join(', ')})` }]);
  }
}
