import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { FaithfulnessScorer } from '../../src/eval/scorers/faithfulness.js';
import { LlmJudgeScorer } from '../../src/eval/scorers/llm-judge.js';
import { calibrateJudge, labelRules } from '../../src/judge/calibration/calibrate.js';
import { computeAgreement } from '../../src/judge/calibration/agreement.js';
import { fixed, formatCalibration } from '../../src/judge/calibration/format.js';
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
  it('reports every problem of a labels file in one error: JSON, keys, duplicates, unknown cases and off-scale labels', () => {
    const rules = labelRules(faithfulness, cases);
    const text = [
      '{"id":"rag-001","output":"a","label":true}',
      'not json',
      '{"id":"rag-001","output":"b","label":false}', // labelled twice
      '{"id":"nope","output":"c","label":true}', // no such case
      '{"id":"rag-002","output":"d","label":"yes"}', // a string, not a boolean
      '{"id":"rag-003","output":"e","label":1}', // a number for a pass/fail scorer
      '{"id":"rag-003","output":"f"}', // duplicate and no label: both reported
    ].join('\n');
    let err: unknown;
    try {
      parseLabels('h.jsonl', text, rules);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const issues = (err as InputError).issues;
    expect(issues.map((i) => [i.line, i.path ?? null])).toEqual([[2, null], [3, 'id'], [4, 'id'], [5, 'label'], [6, 'label'], [7, 'id'], [7, 'label']]);
    expect(issues[1]!.message).toBe("case 'rag-001' is labelled twice (also line 1)");
    expect(issues[2]!.message).toBe("no case 'nope' in the suite");
    expect(issues[3]!.message).toBe('a faithfulness label is true (pass) or false (fail), got the string "yes" (write numbers and true/false without quotes)');
    expect(issues[4]!.message).toBe('a faithfulness label is true (pass) or false (fail), got 1');
    expect(issues[6]!.message).toMatch(/^missing: give a point on the rubric scale/);
    expect((err as InputError).hint).toContain('"label"');
  });

  it('an llm-judge label is an integer point of the rubric scale, and the message says so', () => {
    const grader = new LlmJudgeScorer('helpfulness', false, judge, loadRubric('rubrics/helpfulness.md', SUITE_DIR), 4);
    const rules = labelRules(grader, cases);
    expect(rules.label(4)).toEqual({ value: 4 });
    expect(rules.label(2.5)).toEqual({ problem: "expected an integer point on the rubric's scale 1..5, got 2.5 (not a whole point of the scale)" });
    expect(rules.label('yes')).toEqual({ problem: 'expected an integer point on the rubric\'s scale 1..5, got the string "yes" (write numbers and true/false without quotes)' });
    expect(rules.label(7)).toEqual({ problem: "7 is off the rubric's scale: expected an integer from 1..5" });
    expect(rules.label(true)).toMatchObject({ problem: expect.stringContaining('true / false are for pass/fail scorers') });
    // Without a scorer, parseLabels still says what a label is.
    expect(() => parseLabels('h.jsonl', '{"id":"x","output":"o","label":2.5}')).toThrow('expected an integer point on the rubric scale (e.g. 4) or true / false (pass / fail), got 2.5');
  });

  it('checks labels against the suite and the scale before any judge call', async () => {
    const text = ['{"id":"nope","output":"a","label":true}', '{"id":"rag-001","output":"b","label":3}'].join('\n');
    await expect(calibrateJudge({ scorer: faithfulness, labels: parseLabels('h.jsonl', text), cases, renderPrompt: supportRagPrompt })).rejects.toSatisfy(
      (e: unknown) => e instanceof InputError && e.issues.length === 2 && e.issues[0]!.message.includes("no case 'nope'") && e.issues[1]!.path === 'label',
    );
  });
});

describe('calibration report format', () => {
  it('never prints a negative zero', () => {
    expect([fixed(-2.220446049250313e-16), fixed(-0), fixed(-0.0004), fixed(-0.0005), fixed(0.1234, 2), fixed(-0.004, 2)]).toEqual(['0.000', '0.000', '0.000', '-0.001', '0.12', '0.00']);
    // Nine pairs on a 1–5 scale whose quadratic kappa comes out as -2.2e-16 in floating point.
    const pairs = [[2, 3], [3, 2], [1, 2], [4, 2], [2, 5], [2, 1], [4, 3], [2, 4], [1, 2]].map(([human, judge]) => ({ human: human!, judge: judge! }));
    const report = computeAgreement(pairs, [1, 2, 3, 4, 5]);
    expect(report.kappaQuadratic!).toBeLessThan(0);
    const text = formatCalibration(
      { report, judgeModel: 'sim:judge', rubricHash: 'h', scorerType: 'llm-judge', judgeErrors: [] },
      { status: 'below-floor', judgeModel: 'sim:judge', rubricHash: 'h', minKappa: 0.6, kappa: report.kappaQuadratic, message: 'm' },
      'helpfulness',
    );
    expect(text).toMatch(/Kappa, quadratic weights\s+0\.000\n/);
    expect(text).not.toContain('-0.000');
  });
});
