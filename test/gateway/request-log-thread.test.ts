import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as RequestLog from '../../src/gateway/request-log.js';
import type * as Thread from '../../src/gateway/request-log-thread.js';
import type * as StateStore from '../../src/gateway/state-store.js';
import type { RequestCompletedEvent } from '../../src/gateway/events.js';
import type * as Open from '../../src/store/open.js';
import { importBuilt } from '../support/built.js';

// The writer thread starts from the built worker (dist/), as `llmops gateway start` runs it;
// vitest runs the sources, where the log is written on the calling thread instead.
const { RequestLogWriter } = await importBuilt<typeof RequestLog>('gateway/request-log.js');
const { ThreadRequestLogSink } = await importBuilt<typeof Thread>('gateway/request-log-thread.js');
const { gatewayMigrations } = await importBuilt<typeof StateStore>('gateway/state-store.js');
const { openDatabase } = await importBuilt<typeof Open>('store/open.js');

const event = (i: number): RequestCompletedEvent => ({
  requestId: `req-${i}`, time: 1_700_000_000_000 + i, deployment: 'chat', variant: i % 20 === 0 ? 'candidate' : 'baseline', upstream: 'a', tenant: 'default',
  userHash: 'anonymous', status: 200, outcome: 'ok', stream: false, cached: false, messages: [{ role: 'user', content: `q${i}` }],
  latencyMs: 12, ttftMs: null, inputTokens: 3, outputTokens: 4, costUsd: 0.0001, responseText: `a${i}`,
} as RequestCompletedEvent);

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('request log writer thread', () => {
  it('writes every sampled row from its own connection; close() resolves once they are on disk', async () => {
    dir = mkdtempSync(join(tmpdir(), 'llmops-log-thread-'));
    const db = openDatabase(join(dir, 'gw.db'), { migrations: [{ component: 'gateway', steps: gatewayMigrations }] });
    const errors: string[] = [];
    const w = new RequestLogWriter(db, { sampleRate: 1, redactContent: false, maxBatch: 100, onError: (e) => errors.push(e.message) });
    expect((w as unknown as { sink: unknown }).sink).toBeInstanceOf(ThreadRequestLogSink);
    for (let i = 0; i < 2_500; i++) w.record(event(i));
    w.recordFeedback({ requestId: 'req-7', time: 1_700_000_001_000, rating: 'up', tenant: 'default', deployment: 'chat', variant: 'baseline' });
    await w.close();
    expect(errors).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM request_log').get()).toEqual({ n: 2_500 });
    expect(db.prepare("SELECT response_text, variant FROM request_log WHERE request_id = 'req-40'").get()).toEqual({ response_text: 'a40', variant: 'candidate' });
    expect(db.prepare('SELECT rating FROM request_feedback').all()).toEqual([{ rating: 'up' }]);
    db.close();
  });

  it('reports a batch it cannot write and keeps going', async () => {
    dir = mkdtempSync(join(tmpdir(), 'llmops-log-thread-'));
    const db = openDatabase(join(dir, 'no-gateway-tables.db')); // no request_log table
    const errors: Array<{ message: string; rows: number | undefined }> = [];
    const w = new RequestLogWriter(db, { sampleRate: 1, redactContent: false, onError: (e, rows) => errors.push({ message: e.message, rows }) });
    w.record(event(1));
    w.record(event(2));
    await w.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/no such table: request_log/);
    expect(errors[0]!.rows).toBe(2);
    db.close();
  });
});

describe('request log on the calling thread (in-memory databases)', () => {
  it('writes at flush and reports a batch it cannot write without throwing into the timer', async () => {
    const src = await import('../../src/gateway/request-log.js');
    const { SqliteRequestLogSink } = await import('../../src/gateway/request-log-sqlite.js');
    const { openDatabase: openSrc } = await import('../../src/store/open.js');
    const { gatewayMigrations: steps } = await import('../../src/gateway/state-store.js');
    const db = openSrc(':memory:', { migrations: [{ component: 'gateway', steps }] });
    const w = new src.RequestLogWriter(db, { sampleRate: 1, redactContent: true });
    expect((w as unknown as { sink: unknown }).sink).toBeInstanceOf(SqliteRequestLogSink);
    w.record(event(1));
    w.flush();
    expect(db.prepare('SELECT request_id, response_text FROM request_log').all()).toEqual([{ request_id: 'req-1', response_text: null }]);
    db.exec('DROP TABLE request_log');
    const errors: number[] = [];
    const broken = new src.RequestLogWriter(db, { sampleRate: 1, redactContent: false, onError: (_e, rows) => errors.push(rows ?? -1) });
    broken.record(event(2));
    await broken.close();
    expect(errors).toEqual([1]);
    db.close();
  });
});
