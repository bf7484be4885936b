import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../src/store/types.js';
import { runCli } from '../support/cli.js';
import { writeConfig } from '../support/temp-suite.js';

/** The QA repro: json, then a custom scorer that throws, then contains; two cases a sim answers right. */
function reproSuite(gating: boolean): { dir: string; suiteDir: string; cfg: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'llmops-scorer-errors-'));
  const suiteDir = join(dir, 'repro');
  mkdirSync(suiteDir);
  writeFileSync(join(suiteDir, 'suite.yaml'), [
    'name: repro', "prompt: '{{q}}'", 'cases: cases.jsonl', 'scorers:',
    '  - type: json', `  - { type: custom, module: ./t2.mjs, gating: ${gating} }`, '  - type: contains', '',
  ].join('\n'));
  writeFileSync(join(suiteDir, 'cases.jsonl'), ['{"id":"a","vars":{"q":"x"},"expected":{"k":1}}', '{"id":"b","vars":{"q":"y"},"expected":{"k":2}}', ''].join('\n'));
  writeFileSync(join(suiteDir, 't2.mjs'), 'export default () => { throw new Error("boom"); };\n');
  const cfg = writeConfig(dir, ['  demo:', '    provider: sim', '    model: simulated', '    sim: { accuracy: 1 }'].join('\n'));
  return { dir, suiteDir, cfg, db: join(dir, 'e.db') };
}

const runId = (db: string) => (JSON.parse(runCli(['--db', db, '--json', 'runs', 'list']).stdout) as Array<{ id: string }>)[0]!.id;
const casesOf = (db: string, id: string, which: string) =>
  (JSON.parse(runCli(['--db', db, '--json', 'runs', 'show', id, '--cases', which]).stdout) as { cases: ResultRecord[] }).cases;

describe('a scorer that throws', () => {
  it('with gating: false is recorded as its error; the case keeps its outcome and every other score', () => {
    const { dir, suiteDir, cfg, db } = reproSuite(false);
    const out = (f: string) => join(dir, f);
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--output', out('r.json'), out('r.xml'), out('r.md')]);
    expect(r.code, r.stderr).toBe(0);
    const row = (name: string) => r.stdout.split('\n').find((l) => l.includes(` ${name} `))!.split('│').map((c) => c.trim()).filter(Boolean);
    expect(row('json')).toEqual(['demo (simulated)', 'repro', 'json', '2', '1.000', '100.0%', '0']);
    expect(row('custom')).toEqual(['demo (simulated)', 'repro', 'custom', '0', '—', '—', '2']);
    expect(row('contains')).toEqual(['demo (simulated)', 'repro', 'contains', '2', '1.000', '100.0%', '0']);
    expect(r.stderr).toContain('scorer custom could not score 2 results');

    const id = runId(db);
    const show = runCli(['--db', db, 'runs', 'show', id, '--cases', 'errors']);
    expect(show.stdout).toMatch(/^pass  a {2}— custom could not score: custom scorer \.\/t2\.mjs threw: boom$/m);
    expect(show.stdout).toMatch(/^pass  b {2}— custom could not score: custom scorer \.\/t2\.mjs threw: boom$/m);
    const cases = casesOf(db, id, 'errors');
    expect(cases.map((c) => [c.caseId, c.outcome, c.scores.map((s) => s.name), c.scoreErrors])).toEqual([
      ['a', 'pass', ['contains', 'json'], [{ name: 'custom', message: 'custom scorer ./t2.mjs threw: boom' }]],
      ['b', 'pass', ['contains', 'json'], [{ name: 'custom', message: 'custom scorer ./t2.mjs threw: boom' }]],
    ]);
    expect(casesOf(db, id, 'failed')).toEqual([]);

    const json = JSON.parse(readFileSync(out('r.json'), 'utf8')) as { runs: Array<{ summary: { error: number; scores: unknown[] }; results: ResultRecord[] }> };
    expect(json.runs[0]!.summary.error).toBe(0);
    expect(json.runs[0]!.summary.scores).toContainEqual({ name: 'custom', n: 0, mean: null, passRate: null, errors: 2 });
    expect(json.runs[0]!.results[0]!.scoreErrors).toEqual([{ name: 'custom', message: 'custom scorer ./t2.mjs threw: boom' }]);
    const xml = readFileSync(out('r.xml'), 'utf8');
    expect(xml).toContain('errors="0"');
    expect((xml.match(/<system-err>custom could not score: custom scorer \.\/t2\.mjs threw: boom<\/system-err>/g) ?? []).length).toBe(2);
    expect(readFileSync(out('r.md'), 'utf8')).toContain('| demo *(simulated)* | repro | custom | 0 | — | — | 2 |');
  });

  it('with gating makes the case an error naming it, keeps the other scores, and --resume re-runs it once fixed', () => {
    const { suiteDir, cfg, db } = reproSuite(true);
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('2 of 2 results are errors');
    const id = runId(db);
    const errored = casesOf(db, id, 'errors');
    expect(errored.map((c) => [c.caseId, c.outcome, c.errorKind, c.errorMessage, c.scores.map((s) => [s.name, s.pass])])).toEqual([
      ['a', 'error', 'scorer', 'custom: custom scorer ./t2.mjs threw: boom', [['contains', true], ['json', true]]],
      ['b', 'error', 'scorer', 'custom: custom scorer ./t2.mjs threw: boom', [['contains', true], ['json', true]]],
    ]);
    const show = runCli(['--db', db, 'runs', 'show', id, '--cases', 'errors']);
    expect(show.stdout).toMatch(/^error a {2}— scorer: custom: custom scorer \.\/t2\.mjs threw: boom$/m);

    writeFileSync(join(suiteDir, 't2.mjs'), 'export default () => true;\n'); // fixed; the suite's hash does not change
    const resumed = runCli(['--db', db, '--config', cfg, 'eval', '--resume', id, '-m', 'demo']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const all = casesOf(db, id, 'all');
    expect(all.map((c) => [c.caseId, c.outcome, c.scores.map((s) => s.name), c.scoreErrors])).toEqual([
      ['a', 'pass', ['contains', 'custom', 'json'], []],
      ['b', 'pass', ['contains', 'custom', 'json'], []],
    ]);
  });
});
