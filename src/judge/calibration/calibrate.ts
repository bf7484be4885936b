import { InputError, type InputIssue } from '../../errors.js';
import { ScorerError, type Score, type Scorer } from '../../eval/scorers/types.js';
import type { Case } from '../../suite/types.js';
import { computeAgreement, type AgreementReport } from './agreement.js';
import { describeLabel, type HumanLabel, type LabelRules, type LoadedLabels } from './labels.js';

/**
 * A judge scorer whose verdicts fall in ordered categories that humans can label too:
 * rubric points for llm-judge, 0 (fail) / 1 (pass) for faithfulness and reference-match.
 */
export interface CalibratableScorer extends Scorer {
  readonly categories: number[];
  category(score: Score): number;
}

export function isCalibratable(s: Scorer): s is CalibratableScorer {
  return Array.isArray((s as Partial<CalibratableScorer>).categories) && typeof (s as Partial<CalibratableScorer>).category === 'function';
}

export interface CalibrationInput {
  scorer: CalibratableScorer;
  labels: LoadedLabels;
  /** Cases of the suite by id. */
  cases: ReadonlyMap<string, Case>;
  /** Renders the prompt the candidate saw for a case (what the judge gets as the question). */
  renderPrompt(c: Case): string;
  /** Parallel judge calls; the judge's own limiter still applies per upstream. */
  concurrency?: number;
}

export interface CalibrationOutcome {
  report: AgreementReport;
  judgeModel: string;
  rubricHash: string;
  scorerType: string;
  /** Labels the judge could not score (malformed reply, provider error): left out of the figures. */
  judgeErrors: Array<{ id: string; message: string }>;
}

/**
 * What a label must be to calibrate this scorer: an integer point of the rubric's scale for
 * `llm-judge` (and any scale with more than two points), true / false for the pass/fail scorers;
 * and the id of a case in the suite. The messages say what is expected, not just "invalid".
 */
export function labelRules(scorer: CalibratableScorer, cases: ReadonlyMap<string, Case>): LabelRules {
  const categories = scorer.categories;
  const ordinal = categories.length > 2 || scorer.type === 'llm-judge';
  const scale = `${categories[0]}..${categories.at(-1)}`;
  return {
    id: (id) => (cases.has(id) ? undefined : `no case '${id}' in the suite`),
    label(raw) {
      if (ordinal) {
        if (typeof raw === 'number' && categories.includes(raw)) return { value: raw };
        if (typeof raw === 'number' && Number.isInteger(raw)) return { problem: `${raw} is off the rubric's scale: expected an integer from ${scale}` };
        const why = typeof raw === 'boolean' ? ' (true / false are for pass/fail scorers: faithfulness, reference-match)' : '';
        return { problem: `expected an integer point on the rubric's scale ${scale}, got ${describeLabel(raw)}${why}` };
      }
      if (typeof raw === 'boolean') return { value: raw };
      return { problem: `a ${scorer.type} label is true (pass) or false (fail), got ${describeLabel(raw)}` };
    },
  };
}

/** The category a valid label stands for: its scale point, or 1 (pass) / 0 (fail). */
function humanCategory(label: number | boolean): number {
  return typeof label === 'boolean' ? (label ? 1 : 0) : label;
}

/**
 * Runs the suite's judge scorer on every human-labelled answer and measures agreement.
 * Every label must name a case of the suite and fit the scorer's scale (all issues reported
 * at once, before any judge call).
 */
export async function calibrateJudge(input: CalibrationInput): Promise<CalibrationOutcome> {
  const { scorer, labels } = input;
  // loadLabels(file, labelRules(…)) has checked these already; labels parsed without the rules are checked here.
  const rules = labelRules(scorer, input.cases);
  const issues: InputIssue[] = [];
  for (const l of labels.labels) {
    const idProblem = rules.id?.(l.id);
    if (idProblem !== undefined) issues.push({ file: labels.file, line: l.line, path: 'id', message: idProblem });
    const value = rules.label(l.label);
    if ('problem' in value) issues.push({ file: labels.file, line: l.line, path: 'label', message: value.problem });
  }
  if (issues.length) throw new InputError(issues);

  const results: Array<{ label: HumanLabel; judge?: number; meta?: Record<string, unknown> | undefined; error?: string }> = [];
  const queue = [...labels.labels];
  const worker = async () => {
    for (let l = queue.shift(); l; l = queue.shift()) {
      const c = input.cases.get(l.id) as Case;
      try {
        const s = await input.scorer.score({
          case: c,
          output: { text: l.output, inputTokens: 0, outputTokens: 0, latencyMs: 0, ttftMs: null },
          prompt: input.renderPrompt(c),
          modelRef: 'human-labels',
        });
        results.push({ label: l, judge: scorer.category(s), meta: s.meta });
      } catch (err) {
        if (!(err instanceof ScorerError)) throw err;
        results.push({ label: l, error: err.message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.concurrency ?? 8) }, worker));

  const scored = results.filter((r) => r.error === undefined).sort((a, b) => a.label.line - b.label.line);
  const judgeErrors = results.filter((r) => r.error !== undefined).map((r) => ({ id: r.label.id, message: r.error as string }));
  const firstMeta = scored[0]?.meta;
  if (scored.length === 0) {
    throw new InputError([{ file: labels.file, message: `the judge could not score any label (${judgeErrors[0]?.message ?? 'no labels'})` }]);
  }
  const pairs = scored.map((r) => ({ human: humanCategory(r.label.label), judge: r.judge as number }));
  return {
    report: computeAgreement(pairs, scorer.categories),
    judgeModel: String(firstMeta?.judgeModel),
    rubricHash: String(firstMeta?.rubricHash),
    scorerType: scorer.type,
    judgeErrors,
  };
}
