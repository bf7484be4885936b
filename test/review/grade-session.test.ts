import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.js';
import { createReviewBatch } from '../../src/review/create-batch.js';
import { runGradingSession, type GradingOutcome } from '../../src/review/grade-session.js';
import { JsonlReviewSource } from '../../src/review/sources/jsonl.js';
import { REVIEW_COMPONENT, ReviewStore, reviewMigrations } from '../../src/review/store.js';
import type { ReviewBatch } from '../../src/review/types.js';
import { splitKeys } from '../../src/ui/prompt-keys.js';
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

async function session(store: ReviewStore, batch: ReviewBatch, reviewer: string, t: ScriptedTerminal): Promise<GradingOutcome> {
  const prompts = t.prompts();
  try {
    return await runGradingSession({ store, batch, reviewer, prompts, print: (x) => t.output.write(x), now: clock });
  } finally {
    prompts.close();
  }
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

describe('keys typed faster than the prompts appear (a paste, a burst of typing)', () => {
  it('are answered in order, each question taking its own keys up to its Enter', async () => {
    const { store, batch } = setup(2);
    const items = store.items(batch.id);
    const t = new ScriptedTerminal();
    const run = session(store, batch, 'ana', t);
    await t.waitFor('Accuracy');
    // Item 1: 2, 3, 4, a correction and a note. Item 2: accuracy by arrow keys (1 → 4), then
    // 5 and 1, a pasted CRLF Enter (one Enter, not two), and no note. All in one write.
    t.burst('2\r3\r4\rIt is 1 pound.\rchecked\r\u001b[B\u001b[B\u001b[B\r5\r1\r\r\n\r');
    expect(await run).toEqual({ graded: 2, skipped: 0, remaining: 0, total: 2, quit: false });
    const byId = new Map(store.grades(batch.id).map((g) => [g.requestId, g]));
    expect(byId.get(items[0]!.response.requestId)).toMatchObject({ scores: { accuracy: 2, helpfulness: 3, safety: 4 }, correctedAnswer: 'It is 1 pound.', note: 'checked' });
    expect(byId.get(items[1]!.response.requestId)).toMatchObject({ scores: { accuracy: 4, helpfulness: 5, safety: 1 }, correctedAnswer: null, note: null });
  });

  it('the burst from the QA report (2⏎3⏎4⏎⏎⏎) grades 2/3/4, and keys after it wait for the next item', async () => {
    const { store, batch } = setup(2);
    const t = new ScriptedTerminal();
    const run = session(store, batch, 'ben', t);
    await t.waitFor('Accuracy');
    t.burst('2\r3\r4\r\r\r7');
    await t.waitFor('Item 2 of 2');
    await t.waitFor('Accuracy');
    t.burst('\r'); // the queued 7 (save and quit) is confirmed by this Enter
    expect(await run).toEqual({ graded: 1, skipped: 0, remaining: 1, total: 2, quit: true });
    expect(store.grades(batch.id).map((g) => g.scores)).toEqual([{ accuracy: 2, helpfulness: 3, safety: 4 }]);
  });

  it('Ctrl-C in a burst is not stuck behind the keys before it: it quits at the open question', async () => {
    const { store, batch } = setup(2);
    const t = new ScriptedTerminal();
    const run = session(store, batch, 'cy', t);
    await t.waitFor('Accuracy');
    t.burst('5\r4\r\u0003');
    expect(await run).toMatchObject({ graded: 0, quit: true });
    expect(store.grades(batch.id)).toEqual([]);
  });
});

describe('splitKeys', () => {
  it('keeps escape sequences, CRLF and non-BMP characters whole', () => {
    expect(splitKeys('2\r\u001b[B\u001bOA\r\né\u{1F600}\u0003')).toEqual(['2', '\r', '\u001b[B', '\u001bOA', '\r\n', 'é', '\u{1F600}', '\u0003']);
  });
});
