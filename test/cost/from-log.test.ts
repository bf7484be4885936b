import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tierCountsFromRequestLog } from '../../src/cost/from-log.js';
import { runCli } from '../support/cli.js';

/** A request log with the gateway's request_log columns that matter here (src/gateway/state-store.ts). */
function writeLog(file: string, tiers: Array<string | null>): void {
  const db = new Database(file);
  db.exec('CREATE TABLE request_log (request_id TEXT PRIMARY KEY, time TEXT NOT NULL, deployment TEXT NOT NULL, tier TEXT, cost_usd REAL NOT NULL)');
  const ins = db.prepare('INSERT INTO request_log (request_id, time, deployment, tier, cost_usd) VALUES (?, ?, ?, ?, 0)');
  tiers.forEach((t, i) => ins.run(`r${i}`, '2026-01-01T00:00:00Z', t === null ? 'plain' : 'assistant', t));
  db.close();
}

describe('cost estimate --from-log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmops-costlog-'));

  it('counts routed requests per tier; requests to unrouted deployments (tier NULL) are left out', async () => {
    const file = join(dir, 'log.db');
    writeLog(file, [...Array<string>(7).fill('fast'), 'mid', 'powerful', 'powerful', null, null]);
    expect(await tierCountsFromRequestLog(file)).toEqual({ fast: 7, mid: 1, powerful: 2 });
  });

  it('through the built CLI: the mix from the log gives the issue-7 figures', () => {
    const file = join(dir, 'log2.db');
    writeLog(file, [...Array<string>(7).fill('fast'), 'mid', 'powerful', 'powerful']);
    const r = runCli(['--json', 'cost', 'estimate', '--calls-per-day', '3000000', '--from-log', file, '--price-per-call', 'fast=0.002,mid=0.007,powerful=0.021']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ perDay: { unrouted: 63000, routed: 18900, saving: 44100 }, tiers: { fast: { share: 0.7 } } });
  });

  it('per-tier calls and costs add up to the totals shown (largest remainder), in text and JSON', () => {
    const file = join(dir, 'log3.db');
    writeLog(file, ['fast', 'fast', 'fast', 'mid', 'mid', 'powerful', 'powerful']); // 3/7, 2/7, 2/7
    const args = ['cost', 'estimate', '--calls-per-day', '1000', '--from-log', file, '--price-per-call', 'fast=0.002,mid=0.007,powerful=0.021'];
    const r = runCli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Calls per day: 1,000');
    const row = (tier: string) => new RegExp(`^${tier}\\s+([\\d.]+)%\\s+([\\d,]+)\\s+\\$[\\d.]+\\s+\\$([\\d,.]+)$`, 'm').exec(r.stdout)!.slice(1).map((x) => Number(x.replace(/,/g, '')));
    const rows = ['fast', 'mid', 'powerful'].map(row);
    expect(rows.map((x) => x[1])).toEqual([428, 286, 286]);
    expect(rows.reduce((s, x) => s + x[0]!, 0)).toBeCloseTo(100, 9);
    expect(rows.reduce((s, x) => s + x[1]!, 0)).toBe(1000);
    expect(r.stdout).toMatch(/^routed\s+\$8\.86\s/m);
    expect(rows.reduce((s, x) => s + x[2]!, 0)).toBeCloseTo(8.86, 9);

    const j = JSON.parse(runCli(['--json', ...args]).stdout) as { tiers: Record<string, { share: number; callsPerDay: number; costPerDay: number }>; perDay: { routed: number } };
    const tiers = Object.values(j.tiers);
    expect(tiers.reduce((s, t) => s + t.callsPerDay, 0)).toBeCloseTo(1000, 9);
    expect(tiers.reduce((s, t) => s + t.share, 0)).toBeCloseTo(1, 12);
    expect(tiers.reduce((s, t) => s + t.costPerDay, 0)).toBeCloseTo(j.perDay.routed, 9);
  });

  it('a file that is not a request log, or has no routed requests, is an input error (exit 2)', () => {
    const notLog = join(dir, 'other.db');
    new Database(notLog).exec('CREATE TABLE t (x)');
    const empty = join(dir, 'empty.db');
    writeLog(empty, [null]);
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'not sqlite at all, just text that is long enough to be read as a header');
    const args = (f: string) => ['cost', 'estimate', '--calls-per-day', '1', '--from-log', f, '--price-per-call', 'fast=1,mid=1,powerful=1'];
    const a = runCli(args(notLog));
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('no table with a `tier` column');
    const b = runCli(args(empty));
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('no routed requests yet');
    expect(runCli(args(garbage)).code).toBe(2);
    expect(runCli(args(join(dir, 'missing.db'))).stderr).toContain('request log database not found');
  });
});
