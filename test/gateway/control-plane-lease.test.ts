import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireControlPlane, ControlPlaneBusyError } from '../../src/gateway/control-plane-lease.js';
import { openDatabase } from '../../src/store/open.js';
import { runCli, startGatewayCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'llmops-cp-lease-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one gateway per control-plane database (built CLI)', () => {
  const env = { LLMOPS_ADMIN_TOKEN: 'lease-token' };
  writeFileSync(join(dir, 'llmops.yaml'), `gateway:
  upstreams: { a: { type: sim, model: a } }
  deployments: { chat: { variants: { baseline: { upstream: a, weight: 100 } } } }
`);
  const db = join(dir, 'gw.db');
  const start = () => startGatewayCli(['--db', db, 'gateway', 'start', '--port', '0'], { cwd: dir, env });
  const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

  it('a second gateway on the same --db is refused (exit 2) while the first lives; it takes over once the first is killed, and gives the database up on SIGTERM', async () => {
    const first = await start();
    const second = runCli(['--db', db, 'gateway', 'start', '--port', '0'], { cwd: dir, env });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`The database ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is the control plane of a running gateway: pid ${first.child.pid} on host \\S+, since \\S+ \\(last heartbeat \\d+ s ago\\)`));
    expect(second.stderr).toContain('Give this one its own --db, or stop the other');
    expect(second.stderr).not.toContain('listening on');
    // kill -9: no release, but its pid is gone on this host, so the next gateway takes over at once.
    first.child.kill('SIGKILL');
    await exited(first.child);
    const third = await start();
    third.child.kill('SIGTERM');
    expect(await exited(third.child)).toBe(0);
    const check = openDatabase(db);
    try {
      expect(check.prepare('SELECT count(*) AS n FROM gateway_owner').get()).toEqual({ n: 0 });
    } finally {
      check.close();
    }
  }, 60_000);
});

describe('control-plane lease rules (in process, injected clock and pid check)', () => {
  it('refuses a live owner on another host until its heartbeat is a minute old, then takes over', () => {
    const db = openDatabase(join(dir, 'unit.db'));
    const clock = { now: Date.parse('2026-12-07T12:00:00Z') };
    const other = acquireControlPlane(db, 'unit.db', { self: { host: 'other-host', pid: 42, token: 'aaa' }, now: () => clock.now, heartbeatMs: 3_600_000 });
    const me = { self: { host: 'this-host', pid: 7, token: 'bbb' }, now: () => clock.now, pidAlive: () => true, heartbeatMs: 3_600_000 };
    clock.now += 59_000;
    expect(() => acquireControlPlane(db, 'unit.db', me)).toThrow(ControlPlaneBusyError);
    expect(() => acquireControlPlane(db, 'unit.db', me)).toThrow(/pid 42 on host other-host, since 2026-12-07T12:00:00\.000Z \(last heartbeat 59 s ago\)/);
    clock.now += 2_000;
    const mine = acquireControlPlane(db, 'unit.db', me);
    expect(db.prepare('SELECT owner_host, owner_pid, owner_token FROM gateway_owner').get()).toEqual({ owner_host: 'this-host', owner_pid: 7, owner_token: 'bbb' });
    // The old owner's release no longer touches a lease that is not its own.
    other.release();
    expect(db.prepare('SELECT owner_token FROM gateway_owner').get()).toEqual({ owner_token: 'bbb' });
    mine.release();
    expect(db.prepare('SELECT count(*) AS n FROM gateway_owner').get()).toEqual({ n: 0 });
    db.close();
  });

  it('renews its heartbeat while it runs, and stops quietly once the database is closed', async () => {
    const db = openDatabase(join(dir, 'beat.db'));
    const clock = { now: Date.parse('2026-12-07T12:00:00Z') };
    acquireControlPlane(db, 'beat.db', { self: { host: 'h', pid: 1, token: 't' }, now: () => clock.now, heartbeatMs: 10 });
    clock.now += 30_000;
    await new Promise((r) => setTimeout(r, 60));
    expect(db.prepare('SELECT owner_since, heartbeat_at FROM gateway_owner').get()).toEqual({ owner_since: '2026-12-07T12:00:00.000Z', heartbeat_at: '2026-12-07T12:00:30.000Z' });
    db.close(); // no release: the next beat finds the database closed and stops the timer
    await new Promise((r) => setTimeout(r, 60));
  });
});
