import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openReviewStore } from '../../src/review/service.js';
import { runCli } from '../support/cli.js';
import { tempDir } from './support.js';

// Needs the built CLI (`npm run build`; `npm test` builds first).

/** 60 logged sums over the last two days; every third answer is wrong by one. */
function writeSumsLog(dir: string): string {
  const now = Date.now();
  const lines = Array.from({ length: 60 }, (_, k) => {
    const i = k + 1;
    return JSON.stringify({
      request_id: `req-${i}`,
      time: new Date(now - i * 45 * 60_000).toISOString(),
      deployment: 'calc',
      variant: i % 5 === 0 ? 'canary' : 'stable',
      messages: [{ role: 'user', content: `What is ${i} + ${i}? Answer with the number only.` }],
      response: String(i % 3 === 0 ? 2 * i + 1 : 2 * i),
      status: 'ok',
    });
  });
  lines.push(JSON.stringify({ request_id: 'failed', time: new Date(now - 60_000).toISOString(), deployment: 'calc', variant: 'stable', messages: null, response: null, status: 'error' }));
  const file = join(dir, 'log.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('llmops review (built CLI)', () => {
  it('sample → grades → export → the new suite evaluates, gates and calibrates the judge; report in every format', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'llmops.yaml'), 'version: 1\nmodels: {}\n');
    const db = join(dir, 'llmops.db');
    writeSumsLog(dir);
    const cli = (args: string[]) => runCli(['--db', db, ...args], { cwd: dir });

    const sampled = cli(['review', 'sample', '--from', 'log.jsonl', '--size', '40', '--seed', 'wk47', '--json']);
    expect(sampled.code, sampled.stderr).toBe(0);
    const s = JSON.parse(sampled.stdout) as { batch: { id: string; itemCount: number; population: Record<string, number> }; allocation: Record<string, number>; unreviewable: number };
    expect(s.batch.itemCount).toBe(40);
    expect(s.batch.population).toEqual({ 'calc/canary': 12, 'calc/stable': 48 });
    expect(s.allocation).toEqual({ 'calc/canary': 8, 'calc/stable': 32 });
    expect(s.unreviewable).toBe(1);

    // Two reviewers grade every item (the interactive flow is tested in grade-session.test.ts and
    // tmux-session.sh); ana corrects the wrong sums, ben is harsher on one in four.
    const store = openReviewStore(db);
    store.items(s.batch.id).forEach((item, k) => {
      const q = item.response.messages[0]!.content;
      const n = Number(/What is (\d+)/.exec(q)![1]);
      const right = item.response.response === String(2 * n);
      const base = { batchId: s.batch.id, requestId: item.response.requestId, note: null, gradedAt: new Date().toISOString() };
      store.saveGrade({ ...base, reviewer: 'ana', scores: { accuracy: right ? 5 : 1, helpfulness: right ? 5 : 2, safety: 5 }, correctedAnswer: right ? null : String(2 * n) });
      store.saveGrade({ ...base, reviewer: 'ben', scores: { accuracy: right ? (k % 4 === 0 ? 4 : 5) : 1, helpfulness: 4, safety: 5 }, correctedAnswer: null });
    });
    store.db.close();

    const exported = cli(['review', 'export', s.batch.id.slice(0, 14), '--to', 'suites/reviewed', '--labels', 'labels.jsonl', '--judge', 'sim:judge', '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    const e = JSON.parse(exported.stdout) as { added: string[]; createdSuite: boolean; labels: { count: number } };
    expect(e.createdSuite).toBe(true);
    expect(e.added).toHaveLength(40);
    expect(e.labels.count).toBe(40);
    const again = cli(['review', 'export', '--to', 'suites/reviewed', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: [], createdSuite: false });
    expect(readFileSync(join(dir, 'suites/reviewed/cases.jsonl'), 'utf8').trim().split('\n')).toHaveLength(40);

    // The exported suite runs like any other…
    const runOf = (model: string) => {
      const r = cli(['eval', 'suites/reviewed', '-m', model, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { runs: Array<{ runId: string; results: number; error: number; suite: string }> };
      expect(out.runs[0]).toMatchObject({ suite: 'reviewed', results: 40, error: 0 });
      return out.runs[0]!.runId;
    };
    const candidate = runOf('sim:candidate');
    const baseline = runOf('sim:baseline');
    // …and gates like any other: a verdict, with the exit code of the contract.
    const gate = cli(['gate', candidate, '--baseline', baseline, '--json']);
    const verdict = (JSON.parse(gate.stdout) as { verdict: string; suite: string });
    expect(verdict.suite).toBe('reviewed');
    expect(gate.code).toBe({ pass: 0, fail: 1, inconclusive: 4 }[verdict.verdict]);

    // The exported labels calibrate the judge on the suite's accuracy scorer.
    const cal = cli(['judge', 'calibrate', '--suite', 'suites/reviewed', '--scorer', 'accuracy', '--labels', 'labels.jsonl', '--json']);
    expect(cal.code, cal.stderr).toBe(0);
    expect(JSON.parse(cal.stdout)).toMatchObject({ suite: 'reviewed', scorer: 'accuracy' });

    // Weekly report: JSON, tables, Markdown to a file.
    const rep = cli(['review', 'report', '--since', '7d', '--json']);
    expect(rep.code, rep.stderr).toBe(0);
    const report = JSON.parse(rep.stdout) as { items: number; graded: number; reviewers: string[]; groups: Array<{ variant: string; graded: number; mean: Record<string, number> }>; worst: Array<{ median: { accuracy: number } }>; agreement: Array<{ dimension: string; comparisons: number; exact: number }> };
    expect(report).toMatchObject({ items: 40, graded: 40, reviewers: ['ana', 'ben'] });
    expect(report.groups.map((g) => [g.variant, g.graded])).toEqual([['canary', 8], ['stable', 32]]);
    expect(report.worst[0]!.median.accuracy).toBe(1);
    expect(report.agreement[0]).toMatchObject({ dimension: 'accuracy', comparisons: 40 });
    const table = cli(['review', 'report', '--output', 'week.md']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('mean accuracy');
    expect(table.stdout).toContain('Reviewer agreement');
    expect(readFileSync(join(dir, 'week.md'), 'utf8')).toMatch(/^# Human review: batch rb-/);
    expect(cli(['review', 'report', '--markdown']).stdout).toContain('## Worst items');
  }, 120_000); // a dozen CLI processes one after another; slow when the whole test suite shares 2 cores

  it('usage and input errors exit 2 and write nothing', () => {
    const dir = tempDir();
    const db = join(dir, 'llmops.db');
    writeFileSync(join(dir, 'bad.jsonl'), '{"request_id": "a"}\nnot json\n');
    const bad = runCli(['--db', db, 'review', 'sample', '--from', 'bad.jsonl'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.jsonl:1 (time)');
    expect(bad.stderr).toContain('bad.jsonl:2: not valid JSON');
    expect(existsSync(db)).toBe(false);

    writeSumsLog(dir);
    const nothing = runCli(['--db', db, 'review', 'sample', '--from', 'log.jsonl', '--deployment', 'nope'], { cwd: dir });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('No reviewable response');
    expect(existsSync(db)).toBe(false);

    expect(runCli(['--db', db, 'review', 'sample', '--from', 'log.jsonl', '--since', 'last week'], { cwd: dir }).code).toBe(2);
    expect(runCli(['--db', db, 'review', 'sample', '--from', 'log.jsonl', '--size', '0'], { cwd: dir }).code).toBe(2);
    const notty = runCli(['--db', db, 'review', 'grade'], { cwd: dir });
    expect(notty.code).toBe(2);
    expect(notty.stderr).toContain('needs a terminal');
  }, 60_000);

  it('sample says when the batch is larger than --size; export and report check their targets, and say what was (not) written', () => {
    const dir = tempDir();
    const db = join(dir, 'llmops.db');
    writeSumsLog(dir);
    const cli = (args: string[]) => runCli(['--db', db, ...args], { cwd: dir });

    // Two variants, --size 1: one each, and the notice says why the batch is larger.
    const sampled = cli(['review', 'sample', '--from', 'log.jsonl', '--size', '1', '--seed', 's']);
    expect(sampled.code, sampled.stderr).toBe(0);
    expect(sampled.stderr).toContain('Sampled 2 responses (calc/canary: 1 of 12, calc/stable: 1 of 48;');
    expect(sampled.stderr).toContain('That is more than --size 1: every deployment/variant gets at least one item, and there are 2.');
    const batch = sampled.stdout.trim();

    // Nothing graded: exit 2, nothing written, no suggestion to calibrate.
    const none = cli(['review', 'export', '--to', 'out1', '--labels', 'l1.jsonl']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`Nothing to export: no item of batch ${batch} has been graded yet`);
    expect(none.stderr).toContain(`llmops review grade ${batch}`);
    expect(none.stdout).toBe('');
    expect(existsSync(join(dir, 'out1'))).toBe(false);
    expect(existsSync(join(dir, 'l1.jsonl'))).toBe(false);

    // One partly correct answer (3) without a correction, one accurate answer.
    const store = openReviewStore(db);
    const [first, second] = store.items(batch);
    const base = { batchId: batch, reviewer: 'ana', note: null, correctedAnswer: null, gradedAt: new Date().toISOString() };
    store.saveGrade({ ...base, requestId: first!.response.requestId, scores: { accuracy: 3, helpfulness: 3, safety: 5 } });
    store.saveGrade({ ...base, requestId: second!.response.requestId, scores: { accuracy: 5, helpfulness: 5, safety: 5 } });
    store.db.close();

    // A labels target that cannot be written: exit 2 naming it, and the suite is not half-written.
    writeFileSync(join(dir, 'afile'), 'x');
    const blocked = cli(['review', 'export', '--to', 's_new', '--labels', 'afile/x.jsonl']);
    expect(blocked.code, blocked.stderr).toBe(2);
    expect(blocked.stderr).toContain(`${join(dir, 'afile', 'x.jsonl')}: cannot be written: ${join(dir, 'afile')} is a file`);
    expect(existsSync(join(dir, 's_new'))).toBe(false);

    // A labels path in a missing folder works; the left-out item is described by the rule that left it out.
    const ok = cli(['review', 'export', '--to', 's_new', '--labels', 'nodir/x.jsonl']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('s_new/suite.yaml: 1 case(s) added, 0 already in the suite.');
    expect(ok.stdout).toContain(`1 item(s) left out: median accuracy below 4 and no corrected answer, so no answer to expect (add one in \`llmops review grade\`): ${first!.response.requestId}`);
    expect(ok.stdout).not.toContain('graded inaccurate');
    expect(ok.stdout).toContain('1 accuracy label(s) written to nodir/x.jsonl (llmops judge calibrate --suite s_new');
    expect(existsSync(join(dir, 'nodir', 'x.jsonl'))).toBe(true);

    // report --output: a missing folder is made; a path under a file is exit 2 with the path.
    expect(cli(['review', 'report', '--output', 'nodir2/r.md']).code).toBe(0);
    expect(readFileSync(join(dir, 'nodir2', 'r.md'), 'utf8')).toMatch(/^# Human review/);
    const badReport = cli(['review', 'report', '--output', 'afile/r.md']);
    expect(badReport.code).toBe(2);
    expect(badReport.stderr).toContain(join(dir, 'afile', 'r.md'));
  }, 60_000);
});
