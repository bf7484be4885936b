import type { LoadedConfig } from '../../config/load.js';
import { InputError, UsageError } from '../../errors.js';
import { registryProviders } from '../registry-providers.js';
import type { Db } from '../../store/index.js';
import { iterateCases, loadSuite, renderMessages } from '../../suite/index.js';
import type { Case, ScorerSpec } from '../../suite/types.js';
import { createJudgeScorer } from '../scorer-factories.js';
import { calibrateJudge, isCalibratable, labelRules, type CalibrationOutcome } from './calibrate.js';
import { loadLabels } from './labels.js';
import { judgeCalibrationStatus, type JudgeCalibrationStatus } from './status.js';
import { saveCalibration, type CalibrationRecord } from './store.js';

export interface CalibrateRequest {
  loaded: LoadedConfig;
  suitePath: string;
  labelsPath: string;
  /** Name of the judge scorer to calibrate when the suite has several. */
  scorerName?: string | undefined;
  minKappa?: number | undefined;
  concurrency?: number | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export interface PreparedCalibration {
  suiteName: string;
  run(db: Db): Promise<{ outcome: CalibrationOutcome; record: CalibrationRecord; status: JudgeCalibrationStatus; scorerName: string }>;
}

const CALIBRATABLE = new Set(['llm-judge', 'faithfulness', 'reference-match']);

/**
 * Validates everything (suite, scorer choice, rubric, judge ref, labels) before the database is
 * opened, then `run` judges every labelled answer and stores the agreement.
 */
export async function prepareCalibration(req: CalibrateRequest): Promise<PreparedCalibration> {
  const suite = await loadSuite(req.suitePath);
  const candidates = suite.scorers.map((spec, i) => ({ spec, i })).filter(({ spec }) => CALIBRATABLE.has(spec.type));
  const named = (s: ScorerSpec) => s.name ?? s.type;
  const chosen = req.scorerName === undefined ? candidates[0] : candidates.find(({ spec }) => named(spec) === req.scorerName);
  if (!chosen) {
    const have = candidates.map(({ spec }) => named(spec)).join(', ') || 'none';
    throw new UsageError(
      req.scorerName === undefined ? `Suite '${suite.name}' has no judge scorer to calibrate.` : `Suite '${suite.name}' has no judge scorer named '${req.scorerName}'.`,
      `Calibratable scorers in the suite: ${have} (types llm-judge, faithfulness, reference-match).`,
    );
  }
  const env = req.env ?? process.env;
  // `when:` (which cases a scorer applies to) is the registry's concern, not the judge's options.
  const { when: _when, ...spec } = chosen.spec;
  const scorer = await createJudgeScorer(spec as ScorerSpec, {
    config: req.loaded.config,
    createProvider: registryProviders(req.loaded, env),
    suiteDir: suite.dir,
    at: { file: suite.file, path: `scorers[${chosen.i}]` },
  });
  if (!isCalibratable(scorer)) throw new InputError([{ file: suite.file, path: `scorers[${chosen.i}]`, message: `${scorer.type} cannot be calibrated` }]);
  const cases = new Map<string, Case>();
  for await (const c of iterateCases(suite)) cases.set(c.id, c);
  // Every problem of the labels file — JSON, keys, duplicates, unknown cases, off the scale — in one report.
  const labels = loadLabels(req.labelsPath, labelRules(scorer, cases));
  const render = renderMessages(suite);
  const minKappa = req.minKappa ?? req.loaded.config.judge?.minKappa;
  return {
    suiteName: suite.name,
    async run(db) {
      const outcome = await calibrateJudge({
        scorer,
        labels,
        cases,
        renderPrompt: (c) => render(c).at(-1)?.content ?? '',
        concurrency: req.concurrency,
      });
      const record = saveCalibration(db, {
        judgeModel: outcome.judgeModel,
        rubricHash: outcome.rubricHash,
        scorerType: outcome.scorerType,
        suite: suite.name,
        labelsFile: labels.file,
        labelsHash: labels.hash,
        judgeErrors: outcome.judgeErrors.length,
        report: outcome.report,
      });
      const status = judgeCalibrationStatus(db, outcome.judgeModel, outcome.rubricHash, minKappa);
      return { outcome, record, status, scorerName: scorer.name };
    },
  };
}
