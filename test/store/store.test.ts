import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { migrate } from '../../src/store/migrate.js';
import { newRunId, openDatabase, openStore } from '../../src/store/index.js';
import type { ResultRecord } from '../../src/store/types.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'llmops-store-'));

function result(runId: string, caseId: string, outcome: ResultRecord['outcome'], extra: Partial<ResultRecord> = {}): ResultRecord {
  return {
    runId, caseId, repeat: 0, outcome, output: `out ${caseId}`, errorKind: outcome === 'error' ? 'transient' : null,
    errorMessage: outcome === 'error' ? 'boom' : null, latencyMs: 10, ttftMs: 3, inputTokens: 5, outputTokens: 7, costUsd: 0.001,
    attempts: 1, cached: false, tags: ['t'], scores: [{ name: 'exact', value: outcome === 'pass' ? 1 : 0, pass: outcome === 'pass', reason: 'r', meta: { a: 1 } }],
    ...extra,
  };
}

describe('store', () => {
  it('opens in WAL mode with foreign keys and applies migrations once', () => {
    const file = join(tmp(), 'sub', 'x.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    const again = openDatabase(file);
    const rows = again.prepare("SELECT component, version FROM schema_migrations WHERE component = 'core'").all();
    expect(rows).toEqual([{ component: 'core', version: 1 }, { component: 'core', version: 2 }]);
    again.close();
  });

  it('lets components own versioned migrations and refuses a newer schema', () => {
    const db = openDatabase(join(tmp(), 'm.db'));
    migrate(db, 'extra', [{ version: 1, description: 'a', sql: 'CREATE TABLE a (x)' }]);
    migrate(db, 'extra', [{ version: 1, description: 'a', sql: 'CREATE TABLE a (x)' }, { version: 2, description: 'b', sql: 'CREATE TABLE b (y)' }]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('a','b') ORDER BY name").all()).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(() => migrate(db, 'extra', [{ version: 1, description: 'a', sql: '' }])).toThrow(/newer than this llmops understands/);
  });

  it('reports a corrupt file as a StoreError and leaves it untouched', () => {
    const file = join(tmp(), 'bad.db');
    const junk = 'this is not a database'.repeat(100);
    writeFileSync(file, junk);
    expect(() => openDatabase(file)).toThrow(StoreError);
    expect(() => openDatabase(file)).toThrow(/corrupt or not an llmops database/);
  });

  it('reports an unwritable file and a missing database for read commands', () => {
    const dir = tmp();
    const file = join(dir, 'ro.db');
    openDatabase(file).close();
    chmodSync(file, 0o444);
    if (process.getuid?.() !== 0) expect(() => openDatabase(file)).toThrow(/not writable/);
    expect(() => openDatabase(join(dir, 'none.db'), { mustExist: true })).toThrow(/does not exist/);
  });

  it('stores runs and results, replaces retried cases, and streams results with their scores in order', () => {
    const store = openStore(join(tmp(), 's.db'));
    const id = newRunId();
    store.createRun({ id, batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, planned: 3, params: { repeat: 1 } });
    store.writeResults([result(id, 'c2', 'error'), result(id, 'c1', 'pass'), result(id, 'c3', 'fail')]);
    expect(store.finishedKeys(id)).toEqual(new Set(['c1\u00000', 'c3\u00000']));
    store.writeResults([result(id, 'c2', 'pass')]); // --resume re-ran the errored case
    expect(store.countResults(id)).toEqual({ total: 3, pass: 2, fail: 1, error: 0 });
    const all = [...store.iterateResults(id)];
    expect(all.map((r) => [r.caseId, r.outcome, r.scores.length])).toEqual([['c1', 'pass', 1], ['c2', 'pass', 1], ['c3', 'fail', 1]]);
    expect(all[0]!.scores[0]).toEqual({ name: 'exact', value: 1, pass: true, reason: 'r', meta: { a: 1 } });
    expect(all[0]!.tags).toEqual(['t']);
    // Without texts (what the gate reads): the same numbers, no answers or reasons.
    const lean = [...store.iterateResults(id, { texts: false })];
    expect(lean.map((r) => [r.caseId, r.outcome, r.latencyMs, r.costUsd, r.output, r.scores[0]!.value, r.scores[0]!.reason])).toEqual([
      ['c1', 'pass', 10, 0.001, '', 1, undefined], ['c2', 'pass', 10, 0.001, '', 1, undefined], ['c3', 'fail', 10, 0.001, '', 0, undefined],
    ]);
  });

  it('lists the distinct judge model and rubric pairs behind a run\'s scores', () => {
    const store = openStore(join(tmp(), 'j.db'));
    const id = newRunId();
    store.createRun({ id, batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, planned: 3, params: {} });
    const judged = (judgeModel: string, rubricHash: string) => ({ name: 'llm-judge', value: 0.5, pass: null, meta: { judgeModel, rubricHash } });
    store.writeResults([
      result(id, 'c1', 'pass', { scores: [judged('j1', 'r1')] }),
      result(id, 'c2', 'pass', { scores: [judged('j1', 'r1'), judged('j2', 'r1')].map((x, i) => ({ ...x, name: `judge-${i}` })) }),
      result(id, 'c3', 'pass'),
    ]);
    expect(store.judgeIdentities(id).sort((a, b) => a.judgeModel.localeCompare(b.judgeModel))).toEqual([{ judgeModel: 'j1', rubricHash: 'r1' }, { judgeModel: 'j2', rubricHash: 'r1' }]);
  });

  it('resolves unique id prefixes and rejects ambiguous or unknown ones', () => {
    const store = openStore(join(tmp(), 'p.db'));
    const base = { batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, planned: 0, params: {} };
    store.createRun({ ...base, id: 'r-abc-1' });
    store.createRun({ ...base, id: 'r-abd-2' });
    expect(store.getRun('r-abc').id).toBe('r-abc-1');
    expect(() => store.getRun('r-ab')).toThrow(/ambiguous/);
    expect(() => store.getRun('nope')).toThrow(/No run with id/);
    expect(() => store.getRun('r-a%')).toThrow(/No run with id/); // LIKE wildcards are literal
  });

  it('pins baselines per suite and records gate decisions', () => {
    const store = openStore(join(tmp(), 'g.db'));
    const base = { batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, planned: 0, params: {} };
    store.createRun({ ...base, id: 'r1' });
    store.createRun({ ...base, id: 'r2' });
    store.setBaseline('s', 'r1');
    store.setBaseline('s', 'r2');
    expect(store.getBaseline('s')?.runId).toBe('r2');
    const id = store.saveGateDecision({ runId: 'r2', baselineRunId: 'r1', verdict: 'fail', policy: { p: 1 }, result: { metrics: [] } });
    expect(store.listGateDecisions('r2')).toMatchObject([{ id, verdict: 'fail', policy: { p: 1 }, baselineRunId: 'r1' }]);
  });
});
