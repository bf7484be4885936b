import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { FaithfulnessScorer } from '../../src/eval/scorers/faithfulness.js';
import { LlmJudgeScorer } from '../../src/eval/scorers/llm-judge.js';
import { calibrateJudge } from '../../src/judge/calibration/calibrate.js';
import { loadLabels, parseLabels } from '../../src/judge/calibration/labels.js';
import { judgeCalibrationStatus, judgeCalibrationStatuses } from '../../src/judge/calibration/status.js';
import { latestCalibration, saveCalibration } from '../../src/judge/calibration/store.js';
import { loadRubric } from '../../src/judge/rubric.js';
import { SimJudge } from '../../src/judge/sim.js';
import { CLAIMS_PROMPT_HASH } from '../../src/judge/tasks/claims.js';
import { openDatabase } from '../../src/store/index.js';
import { readJsonl, SUITE_DIR, supportRagCases, supportRagPrompt } from './support.js';

const cases = supportRagCases();
const judge = new SimJudge();
const faithfulness = new FaithfulnessScorer('faithfulness', true, judge, 1);
const constructed = readJsonl<{ id: string; output: string; label: boolean; kind: string }>(`${SUITE_DIR}labels/faithfulness.jsonl`);

describe('calibrateJudge: figures checked by hand', () => {
  // Four faithful answers (the sim judge passes them) and four hallucinated ones (it fails them).
  // The "humans" disagree on one of each: they fail faithful #4 and pass hallucinated #4.
  const faithful = constructed.filter((l) => l.label).slice(0, 4);
  const hallucinated = constructed.filter((l) => !l.label).slice(0, 4);
  const lines = [
    ...faithful.map((l, i) => ({ id: l.id, output: l.output, label: i < 3 })),
    ...hallucinated.map((l, i) => ({ id: l.id, output: l.output, label: i === 3 })),
  ].map((x) => JSON.stringify(x));
  const labels = parseLabels('human.jsonl', lines.join('\n'));

  it('confusion, agreement, kappa and leniency', async () => {
    const out = await calibrateJudge({ scorer: faithfulness, labels, cases, renderPrompt: supportRagPrompt });
    // Rows human (0 = fail, 1 = pass), columns judge:
    //   human 0: judge 0 ×3 (hallucinated 1-3), judge 1 ×1 (faithful #4)   row 4
    //   human 1: judge 0 ×1 (hallucinated #4),  judge 1 ×3 (faithful 1-3)  row 4
    // columns 4, 4; n = 8
    // p_o = 6/8 = 0.75; p_e = (4·4 + 4·4)/8² = 0.5; kappa = (0.75 − 0.5)/(1 − 0.5) = 0.5
    // one item the judge rates higher, one lower → balanced
    expect(out.report.confusion).toEqual([[3, 1], [1, 3]]);
    expect(out.report.agreement).toBe(0.75);
    expect(out.report.kappa).toBeCloseTo(0.5, 12);
    expect(out.report.leniency).toBe('balanced');
    expect(out).toMatchObject({ judgeModel: 'sim:judge', rubricHash: CLAIMS_PROMPT_HASH, scorerType: 'faithfulness', judgeErrors: [] });
  });

  it('stores the calibration per judge model + rubric hash; the gate status applies the kappa floor', async () => {
    const db = openDatabase(':memory:');
    expect(judgeCalibrationStatus(db, 'sim:judge', CLAIMS_PROMPT_HASH)).toMatchObject({ status: 'uncalibrated', kappa: null });
    const out = await calibrateJudge({ scorer: faithfulness, labels, cases, renderPrompt: supportRagPrompt });
    saveCalibration(db, { ...out, suite: 'support-rag', labelsFile: labels.file, labelsHash: labels.hash, judgeErrors: out.judgeErrors.length, report: out.report }, new Date('2026-01-01T00:00:00Z'));
    const below = judgeCalibrationStatus(db, 'sim:judge', CLAIMS_PROMPT_HASH);
    expect(below).toMatchObject({ status: 'below-floor', minKappa: 0.6 });
    expect(below.kappa).toBeCloseTo(0.5, 12);
    expect(below.message).toContain('below the floor 0.6');
    // A lower configured floor accepts it; another rubric hash or judge model is still uncalibrated.
    expect(judgeCalibrationStatus(db, 'sim:judge', CLAIMS_PROMPT_HASH, 0.4).status).toBe('calibrated');
    expect(judgeCalibrationStatus(db, 'sim:judge', 'ffffffffffffffff').status).toBe('uncalibrated');
    expect(judgeCalibrationStatus(db, 'openai:gpt-4o', CLAIMS_PROMPT_HASH).status).toBe('uncalibrated');
    // The newest calibration wins.
    const full = await calibrateJudge({ scorer: faithfulness, labels: loadLabels(`${SUITE_DIR}labels/faithfulness.jsonl`), cases, renderPrompt: supportRagPrompt });
    saveCalibration(db, { ...full, suite: 'support-rag', labelsFile: 'f', labelsHash: 'h', judgeErrors: 0, report: full.report }, new Date('2026-01-02T00:00:00Z'));
    expect(judgeCalibrationStatus(db, 'sim:judge', CLAIMS_PROMPT_HASH)).toMatchObject({ status: 'calibrated', kappa: 1 });
    expect(latestCalibration(db, 'sim:judge', CLAIMS_PROMPT_HASH)?.report.n).toBe(200);
    // What a gate calls with a run's scores: one status per judge model + rubric hash seen.
    const statuses = judgeCalibrationStatuses(db, [
      { meta: { judgeModel: 'sim:judge', rubricHash: CLAIMS_PROMPT_HASH, hallucination: false } },
      { meta: { judgeModel: 'sim:judge', rubricHash: CLAIMS_PROMPT_HASH, hallucination: true } },
      { meta: { judgeModel: 'sim:judge', rubricHash: 'r-other', raw: 4 } },
      { meta: undefined },
    ]);
    expect(statuses.map((s) => [s.rubricHash, s.status])).toEqual([[CLAIMS_PROMPT_HASH, 'calibrated'], ['r-other', 'uncalibrated']]);
    db.close();
  });
});

describe('calibrating the shipped support-rag labels', () => {
  it('the sim faithfulness judge agrees perfectly with the construction labels', async () => {
    const out = await calibrateJudge({ scorer: faithfulness, labels: loadLabels(`${SUITE_DIR}labels/faithfulness.jsonl`), cases, renderPrompt: supportRagPrompt });
    // 115 faithful, 85 hallucinated by construction; the sim judge gets every one right.
    expect(out.report.confusion).toEqual([[85, 0], [0, 115]]);
    expect(out.report.kappa).toBe(1);
  });

  it('the sim helpfulness grade is more lenient than the humans and below the default floor', async () => {
    const rubric = loadRubric('rubrics/helpfulness.md', SUITE_DIR);
    const grader = new LlmJudgeScorer('helpfulness', false, judge, rubric, 4);
    const out = await calibrateJudge({ scorer: grader, labels: loadLabels(`${SUITE_DIR}labels/helpfulness.jsonl`), cases, renderPrompt: supportRagPrompt });
    expect(out.report.categories).toEqual([1, 2, 3, 4, 5]);
    expect(out.rubricHash).toBe(rubric.hash);
    // Token overlap cannot see a changed number (human 1) or an invented sentence (human 2):
    // those answers still overlap the reference well, so the judge rates them higher.
    expect(out.report.leniency).toBe('more lenient');
    expect(out.report.judgeHigher).toBeGreaterThan(out.report.judgeLower);
    expect(out.report.kappaQuadratic!).toBeLessThan(0.6);
    expect(out.report.n).toBe(200);
  });
});

describe('labels files', () => {
  it('reports every bad line with file, line and key', () => {
    const text = ['{"id":"rag-001","output":"a","label":true}', 'not json', '{"id":"rag-002","label":true}', '{"id":"rag-001","output":"b","label":false}'].join('\n');
    try {
      parseLabels('h.jsonl', text);
      expect.unreachable();
    } catch (err) {
      const issues = (err as InputError).issues;
      expect(issues.map((i) => [i.line, i.path ?? null])).toEqual([[2, null], [3, 'output'], [4, 'id']]);
    }
  });
  it('checks labels against the suite and the scale before any judge call', async () => {
    const text = ['{"id":"nope","output":"a","label":true}', '{"id":"rag-001","output":"b","label":3}'].join('\n');
    await expect(calibrateJudge({ scorer: faithfulness, labels: parseLabels('h.jsonl', text), cases, renderPrompt: supportRagPrompt })).rejects.toSatisfy(
      (e: unknown) => e instanceof InputError && e.issues.length === 2 && e.issues[0]!.message.includes("no case 'nope'") && e.issues[1]!.path === 'label',
    );
  });
});
