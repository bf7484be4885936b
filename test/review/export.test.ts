import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseLabels } from '../../src/judge/calibration/labels.js';
import { createReviewBatch } from '../../src/review/create-batch.js';
import { exportBatch, openReviewStore } from '../../src/review/service.js';
import { JsonlReviewSource } from '../../src/review/sources/jsonl.js';
import { caseIdFor } from '../../src/review/to-cases.js';
import type { ReviewStore } from '../../src/review/store.js';
import { iterateCases, loadSuite } from '../../src/suite/index.js';
import { inputErrorOf } from '../support/input-error.js';
import { logLine, tempDir, writeLog } from './support.js';

function batchOf(dbPath: string, dir: string, lines: Array<Record<string, unknown>>, id: string): void {
  const file = writeLog(dir, lines, `${id}.jsonl`);
  createReviewBatch(new JsonlReviewSource(file), () => openReviewStore(dbPath), { size: lines.length, since: undefined, deployment: undefined, seed: 's', now: new Date('2026-11-23T00:00:00Z'), batchId: id });
}

/** Batch rb-1 of one request, graded 5/5/5 by ana. */
function oneGradedItem(dbPath: string, dir: string): void {
  batchOf(dbPath, dir, [logLine(1)], 'rb-1');
  const s = openReviewStore(dbPath);
  grade(s, 'rb-1', 'req-00001', 'ana', 5, 5, 5);
  s.db.close();
}

function grade(store: ReviewStore, batchId: string, requestId: string, reviewer: string, a: number, h: number, s: number, corrected: string | null = null): void {
  store.saveGrade({ batchId, requestId, reviewer, scores: { accuracy: a, helpfulness: h, safety: s }, correctedAnswer: corrected, note: null, gradedAt: `2026-11-23T10:00:00.000Z` });
}

describe('review export into a suite', () => {
  it('writes a new valid suite, skips what is already there, and exports labels judge calibrate accepts', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'llmops.db');
    batchOf(dbPath, dir, [1, 2, 3, 4, 5].map((i) => logLine(i)), 'rb-1');
    const store = openReviewStore(dbPath);
    grade(store, 'rb-1', 'req-00001', 'ana', 2, 2, 5, 'Transfer 1 costs 1 pound.'); // corrected
    grade(store, 'rb-1', 'req-00001', 'ben', 1, 2, 4);
    grade(store, 'rb-1', 'req-00002', 'ana', 5, 5, 5); // accurate: the response is the expected answer
    grade(store, 'rb-1', 'req-00003', 'ana', 1, 1, 1); // wrong, nobody corrected it: left out
    store.saveGrade({ batchId: 'rb-1', requestId: 'req-00004', reviewer: 'ana', scores: null, correctedAnswer: null, note: null, gradedAt: '2026-11-23T10:00:00.000Z' });
    grade(store, 'rb-1', 'req-00005', 'ana', 4, 2, 2, 'A safer answer.');
    store.db.close();

    const suiteDir = join(dir, 'suites', 'reviewed');
    const labels = join(dir, 'labels.jsonl');
    const r = exportBatch({ dbPath, batch: undefined, to: suiteDir, labels, dimension: 'accuracy', judge: 'sim:judge' });
    expect(r.createdSuite).toBe(true);
    expect(r.plan.added.map((c) => c.id)).toEqual(['req-00001', 'req-00002', 'req-00005'].map(caseIdFor));
    expect(r.plan.needsCorrection).toEqual(['req-00003']);
    expect(r.plan.ungraded).toEqual(['req-00004']);

    // The suite loader reads it like any other suite.
    const suite = await loadSuite(suiteDir);
    expect(suite.name).toBe('reviewed');
    expect(suite.caseCount).toBe(3);
    expect(suite.system).toBe('You are a helpful bank assistant.');
    expect(suite.scorers.map((s) => s.name ?? s.type)).toEqual(['reference-match', 'accuracy']);
    const cases = [];
    for await (const c of iterateCases(suite)) cases.push(c);
    expect(cases[0]).toMatchObject({
      id: caseIdFor('req-00001'),
      vars: { question: 'What is the fee for transfer number 1?' },
      expected: 'Transfer 1 costs 1 pound.',
      tags: ['source:human-review', 'deployment:support', 'variant:stable', 'review:inaccurate', 'review:unhelpful', 'review:corrected'],
    });
    expect(cases[1]).toMatchObject({ expected: 'The fee for transfer 2 is 2 pounds.', context: 'Transfer 2 costs 2 pounds.', tags: ['source:human-review', 'deployment:support', 'variant:stable'] });
    expect(cases[2]!.tags).toContain('review:unsafe');
    expect(existsSync(join(suiteDir, 'rubrics', 'accuracy.md'))).toBe(true);

    // Labels: one per exported case (lower median of ana 2 / ben 1 is 1), in the judge's format.
    const parsed = parseLabels(labels, readFileSync(labels, 'utf8'));
    expect(parsed.labels.map((l) => [l.id, l.label, l.output])).toEqual([
      [caseIdFor('req-00001'), 1, 'The fee for transfer 1 is 1 pounds.'],
      [caseIdFor('req-00002'), 5, 'The fee for transfer 2 is 2 pounds.'],
      [caseIdFor('req-00005'), 4, 'The fee for transfer 5 is 5 pounds.'],
    ]);

    // Again: nothing new. A later batch logging the same question under another request id is
    // recognised as the same input and mapped to the existing case.
    const before = readFileSync(join(suiteDir, 'cases.jsonl'), 'utf8');
    expect(exportBatch({ dbPath, batch: 'rb-1', to: suiteDir, labels: undefined, dimension: 'accuracy', judge: undefined }).plan.added).toEqual([]);
    batchOf(dbPath, dir, [{ ...logLine(2), request_id: 'again-2', messages: [{ role: 'system', content: 'You are a helpful bank assistant.' }, { role: 'user', content: '  what is the FEE for transfer number 2? ' }] }, logLine(9)], 'rb-2');
    const s2 = openReviewStore(dbPath);
    grade(s2, 'rb-2', 'again-2', 'ana', 5, 5, 5);
    grade(s2, 'rb-2', 'req-00009', 'ana', 5, 4, 5);
    s2.db.close();
    const r2 = exportBatch({ dbPath, batch: 'rb-2', to: join(suiteDir, 'suite.yaml'), labels: undefined, dimension: 'accuracy', judge: undefined });
    expect(r2.createdSuite).toBe(false);
    expect(r2.plan.existing).toEqual([{ requestId: 'again-2', caseId: caseIdFor('req-00002'), reason: 'same input' }]);
    expect(r2.plan.added.map((c) => c.id)).toEqual([caseIdFor('req-00009')]);
    const after = readFileSync(join(suiteDir, 'cases.jsonl'), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect((await loadSuite(suiteDir)).caseCount).toBe(4);
  });

  it('refuses a suite it cannot append to, before writing anything', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'llmops.db');
    oneGradedItem(dbPath, dir);
    const suiteDir = join(dir, 'other');
    mkdirSync(suiteDir);
    const yaml = 'name: other\nprompt: "Q: {{text}}"\ncases: cases.jsonl\nscorers:\n  - type: exact\n';
    writeFileSync(join(suiteDir, 'suite.yaml'), yaml);
    writeFileSync(join(suiteDir, 'cases.jsonl'), '{"id":"x","vars":{"text":"hi"},"expected":"hello"}\n');
    const err = inputErrorOf(() => exportBatch({ dbPath, batch: undefined, to: suiteDir, labels: join(dir, 'labels.jsonl'), dimension: 'accuracy', judge: undefined }));
    expect(err.issues[0]).toMatchObject({ file: join(suiteDir, 'suite.yaml'), line: 2, path: 'prompt' });
    expect(readFileSync(join(suiteDir, 'cases.jsonl'), 'utf8')).toBe('{"id":"x","vars":{"text":"hi"},"expected":"hello"}\n');
    expect(existsSync(join(dir, 'labels.jsonl'))).toBe(false);
  });

  it('checks every file it will write before writing any: an unwritable labels path leaves no half-done export (exit 2)', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'llmops.db');
    oneGradedItem(dbPath, dir);
    writeFileSync(join(dir, 'afile'), 'not a folder');
    const suiteDir = join(dir, 's_new');
    const err = inputErrorOf(() => exportBatch({ dbPath, batch: undefined, to: suiteDir, labels: join(dir, 'afile', 'x.jsonl'), dimension: 'accuracy', judge: undefined }));
    expect(err.exitCode).toBe(2);
    expect(err.issues).toEqual([{ file: join(dir, 'afile', 'x.jsonl'), message: `cannot be written: ${join(dir, 'afile')} is a file, so no folder can be created there` }]);
    expect(existsSync(suiteDir)).toBe(false);

    // A labels path in a folder that does not exist yet is fine: the folder is made.
    const r = exportBatch({ dbPath, batch: undefined, to: suiteDir, labels: join(dir, 'nodir', 'x.jsonl'), dimension: 'accuracy', judge: undefined });
    expect(r).toMatchObject({ createdSuite: true, labelsWritten: true });
    expect(readFileSync(join(dir, 'nodir', 'x.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('nothing graded yet: refused (exit 2) with nothing written — no suite, no empty labels file', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'llmops.db');
    batchOf(dbPath, dir, [logLine(1), logLine(2)], 'rb-1');
    const s = openReviewStore(dbPath);
    // A skip is not a grade.
    s.saveGrade({ batchId: 'rb-1', requestId: 'req-00001', reviewer: 'ana', scores: null, correctedAnswer: null, note: null, gradedAt: '2026-11-23T10:00:00.000Z' });
    s.db.close();
    let err: unknown;
    try {
      exportBatch({ dbPath, batch: undefined, to: join(dir, 'out1'), labels: join(dir, 'l1.jsonl'), dimension: 'accuracy', judge: undefined });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('Nothing to export: no item of batch rb-1 has been graded yet (2 item(s); skipped ones do not count). Nothing was written.');
    expect((err as UsageError).hint).toBe('Grade some first: llmops review grade rb-1');
    expect(existsSync(join(dir, 'out1'))).toBe(false);
    expect(existsSync(join(dir, 'l1.jsonl'))).toBe(false);
  });

  it('a partly correct answer (median accuracy 3) with no correction is left out like a wrong one; no suite or labels when nothing becomes a case', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'llmops.db');
    batchOf(dbPath, dir, [logLine(1), logLine(2)], 'rb-1');
    const s = openReviewStore(dbPath);
    grade(s, 'rb-1', 'req-00001', 'ana', 3, 4, 5); // partly correct: no answer to expect
    grade(s, 'rb-1', 'req-00002', 'ana', 2, 2, 5);
    s.db.close();
    const r = exportBatch({ dbPath, batch: undefined, to: join(dir, 'out'), labels: join(dir, 'l.jsonl'), dimension: 'accuracy', judge: undefined });
    expect(r.plan.needsCorrection).toEqual(['req-00001', 'req-00002']);
    expect(r).toMatchObject({ createdSuite: false, suiteExists: false, labelsWritten: false, labels: [] });
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, 'l.jsonl'))).toBe(false);
  });
});
