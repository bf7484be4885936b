/** `llmops judge …` as a user runs it: the built CLI (`npm run build` first), sim judge, temp DB. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'llmops-judge-cli-'));
const faithLabels = 'suites/support-rag/labels/faithfulness.jsonl';

describe('llmops judge calibrate', () => {
  it('prints agreement, kappa and the confusion matrix, stores it, and judge status finds it', () => {
    const db = join(tmp, 'a.db');
    const r = runCli(['--db', db, 'judge', 'calibrate', '--suite', 'suites/support-rag', '--labels', faithLabels]);
    expect(r.stderr).toContain("Calibrating the judge of suite 'support-rag'");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Cohen's kappa\s+1\.000/);
    expect(r.stdout).toMatch(/fail\s+85\s+0/);
    expect(r.stdout).toMatch(/pass\s+0\s+115/);
    const hash = /rubric ([0-9a-f]{16})/.exec(r.stdout)?.[1];
    expect(hash).toBeDefined();
    const st = runCli(['--db', db, '--json', 'judge', 'status', '--judge', 'sim:judge', '--rubric-hash', hash!]);
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout)).toMatchObject({ status: 'calibrated', kappa: 1 });
  });

  it('--json gives only JSON on stdout; a rubric-graded scorer reports weighted kappas and a below-floor verdict', () => {
    const r = runCli(['--db', join(tmp, 'b.db'), '--json', 'judge', 'calibrate', '--suite', 'suites/support-rag', '--scorer', 'helpfulness', '--labels', 'suites/support-rag/labels/helpfulness.jsonl']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { scorer: string; report: { categories: number[]; kappaQuadratic: number; leniency: string }; status: { status: string } };
    expect(out.scorer).toBe('helpfulness');
    expect(out.report.categories).toEqual([1, 2, 3, 4, 5]);
    expect(out.report.leniency).toBe('more lenient');
    expect(out.status.status).toBe('below-floor');
  });

  it('--min-kappa overrides the floor', () => {
    const r = runCli(['--db', join(tmp, 'c.db'), '--json', 'judge', 'calibrate', '--suite', 'suites/support-rag', '--scorer', 'helpfulness', '--labels', 'suites/support-rag/labels/helpfulness.jsonl', '--min-kappa', '0']);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: { status: 'calibrated', minKappa: 0 } });
  });

  it('bad labels exit 2 naming file and line, before the database is touched', () => {
    const bad = join(tmp, 'bad.jsonl');
    writeFileSync(bad, '{"id":"rag-001","output":"x","label":true}\n{"id":"rag-002","output":"y"}\n{"id":"nope","output":"z","label":false}\n');
    const db = join(tmp, 'never.db');
    const r = runCli(['--db', db, 'judge', 'calibrate', '--suite', 'suites/support-rag', '--labels', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2`);
    expect(r.stderr).toContain('label');
    expect(existsSync(db)).toBe(false);
  });

  it('a judge scorer limited with `when:` can be calibrated too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmops-judge-when-'));
    writeFileSync(join(dir, 'suite.yaml'), [
      'name: rag-when',
      "prompt: 'Help-centre context: {{context}} Question: {{question}}'",
      `cases: ${join(repoRoot, 'suites/support-rag/cases.jsonl')}`,
      'scorers:',
      '  - type: faithfulness',
      '    judge: sim:judge',
      '    when: { tag: card_delivery }',
      '',
    ].join('\n'));
    const r = runCli(['--db', join(tmp, 'w.db'), '--json', 'judge', 'calibrate', '--suite', dir, '--labels', faithLabels]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ suite: 'rag-when', report: { n: 200, kappa: 1 } });
  });

  it('a labels file with problems of every kind is refused in one report (exit 2), before any judge call', () => {
    const labels = join(tmp, 'bad-labels.jsonl');
    writeFileSync(labels, ['{"id":"rag-001","output":"a","label":4}', '{oops', '{"id":"rag-001","output":"b","label":3}', '{"id":"nope","output":"c","label":2.5}', '{"id":"rag-002","output":"d","label":"yes"}'].join('\n'));
    const db = join(tmp, 'bad.db');
    const r = runCli(['--db', db, 'judge', 'calibrate', '--suite', 'suites/support-rag', '--scorer', 'helpfulness', '--labels', labels]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid input (5 problems)');
    expect(r.stderr).toContain('bad-labels.jsonl:2: not valid JSON');
    expect(r.stderr).toContain("bad-labels.jsonl:3 (id): case 'rag-001' is labelled twice (also line 1)");
    expect(r.stderr).toContain("bad-labels.jsonl:4 (id): no case 'nope' in the suite");
    expect(r.stderr).toContain("bad-labels.jsonl:4 (label): expected an integer point on the rubric's scale 1..5, got 2.5");
    expect(r.stderr).toContain('bad-labels.jsonl:5 (label): expected an integer point on the rubric\'s scale 1..5, got the string "yes"');
    expect(existsSync(db)).toBe(false);
  });

  it('an unknown scorer name exits 2 and lists the calibratable ones', () => {
    const r = runCli(['--db', join(tmp, 'd.db'), 'judge', 'calibrate', '--suite', 'suites/support-rag', '--scorer', 'nope', '--labels', faithLabels]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faithfulness, helpfulness, reference-match');
  });
});
