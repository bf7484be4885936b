import { renderItem } from './render-item.js';
import { QUESTIONS, scaleChoices } from './questions.js';
import type { ReviewStore } from './store.js';
import type { Dimension, ReviewBatch } from './types.js';

/**
 * The prompt functions the session asks with — the @inquirer/prompts `select` and `input`
 * in the CLI, bound to other streams in tests. Kept to the subset of their config we use.
 */
export interface GradingPrompts {
  select<V extends number | string>(config: { message: string; choices: Array<{ name: string; value: V }>; pageSize?: number }): Promise<V>;
  input(config: { message: string }): Promise<string>;
}

export interface GradingSessionOptions {
  store: ReviewStore;
  batch: ReviewBatch;
  reviewer: string;
  prompts: GradingPrompts;
  /** Where the item text goes (stderr in the CLI). */
  print: (text: string) => void;
  now: () => Date;
}

export interface GradingOutcome {
  graded: number;
  skipped: number;
  /** Items this reviewer has not graded or skipped yet. */
  remaining: number;
  total: number;
  /** True when the reviewer quit (choice or Ctrl-C) before the end. */
  quit: boolean;
}

const SKIP = 's';
const QUIT = 'q';

/** Ctrl-C inside an @inquirer prompt rejects with ExitPromptError (AbortPromptError on a signal). */
function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

/**
 * Walks the reviewer through every item they have not graded yet, saving each grade as soon as
 * it is complete. Quitting — the "quit" choice or Ctrl-C at any question — keeps everything
 * saved so far; running it again resumes at the first item this reviewer has not done.
 */
export async function runGradingSession(o: GradingSessionOptions): Promise<GradingOutcome> {
  const items = o.store.items(o.batch.id);
  const done = o.store.doneBy(o.batch.id, o.reviewer);
  const todo = items.filter((i) => !done.has(i.response.requestId));
  let graded = 0;
  let skipped = 0;
  const outcome = (quit: boolean): GradingOutcome => ({ graded, skipped, remaining: todo.length - graded - skipped, total: items.length, quit });
  if (todo.length < items.length && todo.length > 0) o.print(`Resuming: ${items.length - todo.length} of ${items.length} done by ${o.reviewer}.\n`);

  for (const item of todo) {
    o.print(renderItem(item, item.position, items.length));
    try {
      const first = await o.prompts.select<number | string>({
        message: QUESTIONS.accuracy.message,
        choices: [...scaleChoices('accuracy'), { name: 's  skip this item', value: SKIP }, { name: 'q  save and quit', value: QUIT }],
        pageSize: 7,
      });
      if (first === QUIT) return outcome(true);
      const base = { batchId: o.batch.id, requestId: item.response.requestId, reviewer: o.reviewer };
      if (first === SKIP) {
        o.store.saveGrade({ ...base, scores: null, correctedAnswer: null, note: null, gradedAt: o.now().toISOString() });
        skipped++;
        continue;
      }
      const scores: Record<Dimension, number> = { accuracy: Number(first), helpfulness: 0, safety: 0 };
      for (const d of ['helpfulness', 'safety'] as const) {
        scores[d] = await o.prompts.select<number>({ message: QUESTIONS[d].message, choices: scaleChoices(d), pageSize: 5 });
      }
      const corrected = (await o.prompts.input({ message: 'Corrected answer (Enter: none)' })).trim();
      const note = (await o.prompts.input({ message: 'Note (Enter: none)' })).trim();
      o.store.saveGrade({ ...base, scores, correctedAnswer: corrected || null, note: note || null, gradedAt: o.now().toISOString() });
      graded++;
    } catch (err) {
      // The half-answered item is not saved: resuming asks it again from the first question.
      if (isPromptExit(err)) return outcome(true);
      throw err;
    }
  }
  return outcome(false);
}
