import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.js';
import { createReviewBatch } from '../../src/review/create-batch.js';
import { runGradingSession, type GradingOutcome } from '../../src/review/grade-session.js';
import { JsonlReviewSource } from '../../src/review/sources/jsonl.js';
import { REVIEW_COMPONENT, ReviewStore, reviewMigrations } from '../../src/review/store.js';
import type { ReviewBatch } from '../../src/review/types.js';
import { logLine, ScriptedTerminal, tempDir, writeLog } from './support.js';
import { join } from 'node:path';

function setup(n: number): { store: ReviewStore; batch: ReviewBatch; dbPath: string } {
  const dir = tempDir();
  const file = writeLog(dir, Array.from({ length: n }, (_, i) => logLine(i + 1)));
  const dbPath = join(dir, 'llmops.db');
  const open = () => new ReviewStore(openDatabase(dbPath, { migrations: [{ component: REVIEW_COMPONENT, steps: reviewMigrations }] }));
  const s = createReviewBatch(new JsonlReviewSource(file), open, { size: n, since: undefined, deployment: undefined, seed: 's', now: new Date('2026-11-23T00:00:00Z'), batchId: 'rb-test' });
  return { store: open(), batch: s.batch, dbPath };
}

let tick = 0;
const clock = () => new Date(Date.UTC(2026, 10, 23, 12, 0, tick++));

/** Grades one item through the real prompts: accuracy, helpfulness, safety digits, then two text answers. */
async function gradeItem(t: ScriptedTerminal, a: number, h: number, s: number, corrected = '', note = ''): Promise<void> {
  await t.answer('Accuracy', `${a}\r`);
  await t.answer('Helpfulness', `${h}\r`);
  await t.answer('Safety', `${s}\r`);
  await t.answer('Corrected answer', `${corrected}\r`);
  await t.answer('Note', `${note}\r`);
}

function session(store: ReviewStore, batch: ReviewBatch, reviewer: string, t: ScriptedTerminal): Promise<GradingOutcome> {
  return runGradingSession({ store, batch, reviewer, prompts: t.prompts(), print: (x) => t.output.write(x), now: clock });
}

describe('grading session driven through the real @inquirer prompts', () => {
  it('saves each item as it is graded; "quit" stops, and the next session resumes at the first undone item', async () => {
    const { store, batch } = setup(4);
    const items = store.items(batch.id);
    const t1 = new ScriptedTerminal();
    const run1 = session(store, batch, 'ana', t1);
    await gradeItem(t1, 2, 3, 5, 'Transfer fees are 4 pounds.', 'wrong number');
    await gradeItem(t1, 5, 4, 5);
    await t1.answer('Accuracy', '7\r'); // the 7th choice: save and quit
    const out1 = await run1;
    expect(out1).toEqual({ graded: 2, skipped: 0, remaining: 2, total: 4, quit: true });
    // The request and response were on screen for the reviewer.
    expect(t1.transcript).toContain(items[0]!.response.response);
    expect(t1.transcript).toContain(items[0]!.response.messages[1]!.content);

    const saved = store.grades(batch.id);
    expect(saved.map((g) => [g.requestId, g.scores, g.correctedAnswer, g.note])).toEqual([
      [items[0]!.response.requestId, { accuracy: 2, helpfulness: 3, safety: 5 }, 'Transfer fees are 4 pounds.', 'wrong number'],
      [items[1]!.response.requestId, { accuracy: 5, helpfulness: 4, safety: 5 }, null, null],
    ].sort((x, y) => ((x[0] as string) < (y[0] as string) ? -1 : 1)));

    const t2 = new ScriptedTerminal();
    const run2 = session(store, batch, 'ana', t2);
    await t2.waitFor('Resuming: 2 of 4 done by ana');
    await t2.answer('Accuracy', '6\r'); // skip item 3
    await gradeItem(t2, 4, 4, 1, '', 'leaks an account number');
    const out2 = await run2;
    expect(out2).toEqual({ graded: 1, skipped: 1, remaining: 0, total: 4, quit: false });
    // Item 3 and 4 were shown in session 2, items 1 and 2 were not shown again.
    expect(t2.transcript).toContain(`Item 3 of 4`);
    expect(t2.transcript).not.toContain(`Item 1 of 4`);
    expect(store.doneBy(batch.id, 'ana').size).toBe(4);
    const skip = store.grades(batch.id).find((g) => g.requestId === items[2]!.response.requestId)!;
    expect(skip.scores).toBeNull();
  });

  it('Ctrl-C midway through an item keeps the items before it and asks that item again on resume', async () => {
    const { store, batch } = setup(3);
    const t1 = new ScriptedTerminal();
    const run1 = session(store, batch, 'ben', t1);
    await gradeItem(t1, 3, 3, 3);
    await t1.answer('Accuracy', '4\r');
    await t1.answer('Helpfulness', '\u0003'); // Ctrl-C
    const out1 = await run1;
    expect(out1).toMatchObject({ graded: 1, remaining: 2, quit: true });
    expect(store.grades(batch.id)).toHaveLength(1);

    const t2 = new ScriptedTerminal();
    const run2 = session(store, batch, 'ben', t2);
    await t2.waitFor('Item 2 of 3');
    await gradeItem(t2, 4, 5, 5);
    await gradeItem(t2, 1, 1, 2, 'A corrected answer', '');
    expect(await run2).toEqual({ graded: 2, skipped: 0, remaining: 0, total: 3, quit: false });
  });

  it('each reviewer has their own progress on the same items', async () => {
    const { store, batch } = setup(2);
    const ta = new ScriptedTerminal();
    const ra = session(store, batch, 'ana', ta);
    await gradeItem(ta, 5, 5, 5);
    await gradeItem(ta, 4, 4, 4);
    await ra;
    const tb = new ScriptedTerminal();
    const rb = session(store, batch, 'ben', tb);
    await tb.waitFor('Item 1 of 2');
    await gradeItem(tb, 4, 5, 5);
    await gradeItem(tb, 4, 3, 4);
    expect(await rb).toMatchObject({ graded: 2, quit: false });
    expect(store.grades(batch.id)).toHaveLength(4);
  });
});
