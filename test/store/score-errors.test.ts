import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { summarizeRun } from '../../src/eval/summary.js';
import { migrate } from '../../src/store/migrate.js';
import { newRunId, openStore } from '../../src/store/index.js';
import { coreMigrations } from '../../src/store/schema.js';
import type { ResultRecord } from '../../src/store/types.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'llmops-score-errors-'));

function result(runId: string, caseId: string, extra: Partial<ResultRecord> = {}): ResultRecord {
  return {
    runId, caseId, repeat: 0, outcome: 'pass', output: `out ${caseId}`, errorKind: null, errorMessage: null,
    latencyMs: 10, ttftMs: 3, inputTokens: 5, outputTokens: 7, costUsd: 0.001, attempts: 1, cached: false, tags: [],
    scores: [{ name: 'json', value: 1, pass: true }, { name: 'contains', value: 0, pass: false, reason: 'missing' }],
    ...extra,
  };
}

describe('scorer errors in the store', () => {
  it('are stored with the result, read back apart from the scores, and counted per scorer', () => {
    const store = openStore(join(tmp(), 's.db'));
    const id = newRunId();
    store.createRun({ id, batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, planned: 3, params: {} });
    store.writeResults([
      result(id, 'c1', { scoreErrors: [{ name: 'custom', message: 'custom scorer ./t2.mjs threw: boom' }] }),
      result(id, 'c2', { outcome: 'error', errorKind: 'scorer', errorMessage: 'custom: threw', scoreErrors: [{ name: 'custom', message: 'threw' }] }),
      result(id, 'c3', { scores: [{ name: 'json', value: 0.5, pass: false }, { name: 'custom', value: 1, pass: true }, { name: 'contains', value: 1, pass: true }] }),
    ]);

    const [c1, c2, c3] = [...store.iterateResults(id)];
    expect(c1!.scores.map((s) => s.name)).toEqual(['contains', 'json']);
    expect(c1!.scoreErrors).toEqual([{ name: 'custom', message: 'custom scorer ./t2.mjs threw: boom' }]);
    expect(c2!.outcome).toBe('error');
    expect(c2!.scores).toHaveLength(2); // a gating scorer's error keeps the other scores
    expect(c3!.scoreErrors).toEqual([]);
    // The gate's lean read keeps which scorer erred, not the text.
    expect([...store.iterateResults(id, { texts: false })][0]!.scoreErrors).toEqual([{ name: 'custom', message: '' }]);
    // --resume: only the errored case needs a re-run.
    expect(store.finishedKeys(id)).toEqual(new Set(['c1\u00000', 'c3\u00000']));

    const custom = summarizeRun(store, id).scores.find((s) => s.name === 'custom')!;
    expect(custom).toEqual({ name: 'custom', n: 1, mean: 1, passRate: 1, errors: 2 });
    const json = summarizeRun(store, id).scores.find((s) => s.name === 'json')!;
    expect(json).toEqual({ name: 'json', n: 3, mean: (1 + 1 + 0.5) / 3, passRate: 2 / 3, errors: 0 });

    // A re-run of a case replaces its scorer errors with what the new attempt produced.
    store.writeResults([result(id, 'c2', { scores: [{ name: 'custom', value: 1, pass: true }] })]);
    const again = [...store.iterateResults(id)][1]!;
    expect(again.scoreErrors).toEqual([]);
    expect(again.scores.map((s) => s.name)).toEqual(['custom']);
    expect(summarizeRun(store, id).scores.find((s) => s.name === 'custom')).toMatchObject({ n: 2, errors: 1 });
  });

  it('a scorer that never scored has no mean rather than a made-up one', () => {
    const store = openStore(join(tmp(), 'n.db'));
    const id = newRunId();
    store.createRun({ id, batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, planned: 1, params: {} });
    store.writeResults([result(id, 'c1', { scores: [], scoreErrors: [{ name: 'custom', message: 'boom' }] })]);
    expect(summarizeRun(store, id).scores).toEqual([{ name: 'custom', n: 0, mean: null, passRate: null, errors: 1 }]);
  });

  it('a database written before scorer errors were stored is upgraded in place and reads as before', () => {
    const file = join(tmp(), 'v1.db');
    const old = new BetterSqlite3(file);
    migrate(old, 'core', coreMigrations.filter((m) => m.version === 1));
    old.prepare(`INSERT INTO runs (id, batch_id, suite, suite_hash, model, provider, synthetic, status, planned, params, started_at)
      VALUES ('r-old', 'b', 's', 'h', 'm', 'sim', 1, 'completed', 1, '{}', '2025-01-01T00:00:00Z')`).run();
    old.prepare(`INSERT INTO results (run_id, case_id, repeat, outcome, input_tokens, output_tokens, attempts, cached, tags, created_at)
      VALUES ('r-old', 'c1', 0, 'pass', 1, 1, 1, 0, '[]', '2025-01-01T00:00:00Z')`).run();
    old.prepare("INSERT INTO scores (run_id, case_id, repeat, name, value, pass) VALUES ('r-old', 'c1', 0, 'exact', 1, 1)").run();
    old.close();

    const store = openStore(file);
    const [r] = [...store.iterateResults('r-old')];
    expect(r!.scores).toEqual([{ name: 'exact', value: 1, pass: true }]);
    expect(r!.scoreErrors).toEqual([]);
  });
});
