import { existsSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { openReviewSource } from '../../src/review/sources/index.js';
import { JsonlReviewSource } from '../../src/review/sources/jsonl.js';
import { migrate, openDatabase, type Migration } from '../../src/store/index.js';
import { repoRoot } from '../support/cli.js';
import { logLine, tempDir, writeLog } from './support.js';

describe('JSONL request-log export', () => {
  it('reads, normalises times and filters by window and deployment', () => {
    const dir = tempDir();
    const file = writeLog(dir, [logLine(1), logLine(2, { time: Date.UTC(2026, 10, 20) }), logLine(4), { ...logLine(5), variant: undefined }]);
    const all = [...new JsonlReviewSource(file).responses({})];
    expect(all.map((r) => r.requestId)).toEqual(['req-00001', 'req-00002', 'req-00004', 'req-00005']);
    expect(all[1]!.time).toBe('2026-11-20T00:00:00.000Z');
    expect(all[3]!.variant).toBe('default');
    expect(all[0]).toMatchObject({ deployment: 'support', tenant: 't1', latencyMs: 101, context: undefined, status: 'ok' });
    const window = [...new JsonlReviewSource(file).responses({ since: '2026-11-16T00:02:00.000Z', until: '2026-11-19T00:00:00.000Z' })];
    expect(window.map((r) => r.requestId)).toEqual(['req-00004', 'req-00005']);
    expect([...new JsonlReviewSource(file).responses({ deployment: 'billing' })].map((r) => r.requestId)).toEqual(['req-00004']);
  });

  it("marks a gateway export's discarded upgrade attempts (`<id>.fast`) as not reviewable", () => {
    const dir = tempDir();
    const file = writeLog(dir, [logLine(1), logLine(2, { request_id: 'req-00001.fast', tier: 'fast' }), logLine(3, { request_id: 'req-00003.fast' }), logLine(4, { request_id: 'v1.fast', tier: 'powerful' })]);
    const rows = [...new JsonlReviewSource(file).responses({})];
    expect(rows.map((r) => [r.requestId, r.status])).toEqual([
      ['req-00001', 'ok'],
      ['req-00001.fast', 'discarded-for-upgrade'],
      ['req-00003.fast', 'discarded-for-upgrade'],
      ['v1.fast', 'ok'], // served on another tier: an id that merely ends that way
    ]);
  });

  it('reports every bad line with file, line and key, and yields nothing after the first problem', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, [JSON.stringify(logLine(1)), '{not json', JSON.stringify({ ...logLine(3), deployment: 7 }), JSON.stringify(logLine(1)), JSON.stringify({ ...logLine(5), time: 'yesterday' })].join('\n'));
    let err: unknown;
    try {
      [...new JsonlReviewSource(file).responses({})];
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const issues = (err as InputError).issues.map((i) => [i.line, i.path]);
    expect(issues).toEqual([[2, undefined], [3, 'deployment'], [4, 'request_id'], [5, 'time']]);
    expect((err as InputError).exitCode).toBe(2);
  });
});

describe('gateway SQLite request log', () => {
  it('reads the gateway table directly, whichever of the accepted column names it uses', async () => {
    const dir = tempDir();
    const file = join(dir, 'gateway.db');
    const db = openDatabase(file);
    db.exec(`CREATE TABLE request_log (request_id TEXT PRIMARY KEY, ts INTEGER, deployment TEXT, variant TEXT, tenant_id TEXT,
      request_messages TEXT, response_text TEXT, context TEXT, latency_ms REAL, prompt_tokens INTEGER, completion_tokens INTEGER, cost_usd REAL, status INTEGER)`);
    const ins = db.prepare('INSERT INTO request_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const body = (q: string) => JSON.stringify({ model: 'support', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: [{ type: 'text', text: q }] }] });
    ins.run('g1', Date.UTC(2026, 10, 20, 10), 'support', 'stable', 't1', body('first?'), 'one', null, 120, 10, 3, 0.0001, 200);
    ins.run('g2', Date.UTC(2026, 10, 20, 9), 'support', 'canary', 't2', null, 'two', 'ctx', 90, 10, 3, 0.0001, 200);
    ins.run('g3', Date.UTC(2026, 10, 20, 11), 'support', 'canary', 't2', body('third?'), null, null, 30, 10, 0, 0, 502);
    db.close();
    const source = await openReviewSource(file);
    try {
      expect(source.description).toBe(`gateway-log:${file}`);
      const rows = [...source.responses({ since: '2026-11-20T00:00:00.000Z' })];
      // In time order: g2 (09:00), g1 (10:00), g3 (11:00).
      expect(rows.map((r) => [r.requestId, r.variant, r.status])).toEqual([['g2', 'canary', 'ok'], ['g1', 'stable', 'ok'], ['g3', 'canary', '502']]);
      expect(rows[1]!.messages).toEqual([{ role: 'system', content: 'sys' }, { role: 'user', content: 'first?' }]);
      expect(rows[0]!.messages).toBeNull(); // redacted
      expect(rows[1]).toMatchObject({ time: '2026-11-20T10:00:00.000Z', tenant: 't1', response: 'one', inputTokens: 10, outputTokens: 3, latencyMs: 120 });
      expect([...source.responses({ since: '2026-11-20T09:30:00.000Z', until: '2026-11-20T10:30:00.000Z' })].map((r) => r.requestId)).toEqual(['g1']);
    } finally {
      source.close();
    }
  });

  it("reads the gateway's own request_log schema (its migration when present, else the same columns)", async () => {
    const dir = tempDir();
    const file = join(dir, 'gw.db');
    const db = openDatabase(file);
    // The gateway owns this schema (src/gateway/state-store.ts, gatewayMigrations). Imported by a
    // computed path so this test keeps running while that module is being written.
    const gatewayModule = join(repoRoot, 'src/gateway/state-store.ts');
    if (existsSync(gatewayModule)) {
      const mod = (await import(pathToFileURL(gatewayModule).href)) as { gatewayMigrations?: Migration[] };
      if (mod.gatewayMigrations) migrate(db, 'gateway', mod.gatewayMigrations);
    }
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'request_log'").get() !== undefined;
    if (!hasTable) {
      db.exec(`CREATE TABLE request_log (
        request_id TEXT PRIMARY KEY, time TEXT NOT NULL, deployment TEXT NOT NULL, variant TEXT NOT NULL, upstream TEXT NOT NULL,
        tier TEXT, tenant TEXT NOT NULL, user_hash TEXT NOT NULL, status INTEGER NOT NULL, outcome TEXT NOT NULL, error_kind TEXT,
        stream INTEGER NOT NULL, cached INTEGER NOT NULL, request_messages TEXT, response_text TEXT, context TEXT,
        latency_ms REAL NOT NULL, ttft_ms REAL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL)`);
    }
    const ins = db.prepare(`INSERT INTO request_log (request_id, time, deployment, variant, upstream, tenant, user_hash, status, outcome, stream, cached,
      request_messages, response_text, context, latency_ms, input_tokens, output_tokens, cost_usd) VALUES (?, ?, 'support', ?, 'up', 't', 'h', ?, ?, 0, 0, ?, ?, NULL, 50, 5, 5, 0)`);
    const msgs = JSON.stringify([{ role: 'user', content: 'hello?' }]);
    // The gateway's event time is epoch ms; in a TEXT column it reads back as digits.
    ins.run('a', Date.UTC(2026, 10, 20, 8), 'stable', 200, 'ok', msgs, 'hi');
    ins.run('b', Date.UTC(2026, 10, 20, 9), 'canary', 502, 'error', msgs, '');
    db.close();
    const source = await openReviewSource(file);
    try {
      const rows = [...source.responses({})];
      expect(rows.map((r) => [r.requestId, r.time, r.variant, r.status])).toEqual([
        ['a', '2026-11-20T08:00:00.000Z', 'stable', 'ok'],
        ['b', '2026-11-20T09:00:00.000Z', 'canary', 'error'],
      ]);
      expect(rows[0]!.messages).toEqual([{ role: 'user', content: 'hello?' }]);
    } finally {
      source.close();
    }
  });

  it('a database without a request log is an input error naming the tables it has', async () => {
    const dir = tempDir();
    const file = join(dir, 'other.db');
    openDatabase(file).close();
    await expect(openReviewSource(file)).rejects.toThrow(/no gateway request log in this database .*found .*schema_migrations/);
    await expect(openReviewSource(join(dir, 'missing.jsonl'))).rejects.toThrow(/file not found/);
  });
});
