import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../src/errors.js';
import { keepLeases } from '../../src/eval/lease-keeper.js';
import { openDatabase } from '../../src/store/open.js';
import { leaseState, pidAlive, RunBusyError, STALE_AFTER_MS, thisProcess, type LeaseContext, type LeaseOwner, type StoredLease } from '../../src/store/run-lease.js';
import { RunStore, type RunStoreOptions } from '../../src/store/run-store.js';
import { runStateLine } from '../../src/report/run-state.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('leaseState (pure)', () => {
  const self: LeaseOwner = { host: 'h1', pid: 100, token: 'me' };
  const ctx = (over: Partial<LeaseContext> = {}): LeaseContext => ({ self, nowMs: T0, staleAfterMs: 60_000, pidAlive: () => true, ...over });
  const lease = (over: Partial<StoredLease> = {}): StoredLease => ({ host: 'h1', pid: 200, token: 'other', since: iso(T0 - 5_000), heartbeatAt: iso(T0 - 5_000), ...over });
  const never = () => { throw new Error('pid checked for another host'); };

  it('no lease is free; our own token is ours whatever the rest says', () => {
    expect(leaseState(null, ctx())).toEqual({ kind: 'free' });
    expect(leaseState(lease({ token: 'me', heartbeatAt: iso(T0 - 10 * 60_000) }), ctx({ pidAlive: () => false }))).toEqual({ kind: 'mine' });
  });

  it('same host: held while the pid lives, abandoned once it is gone', () => {
    expect(leaseState(lease(), ctx())).toEqual({ kind: 'held', lease: lease(), heartbeatAgeMs: 5_000 });
    const dead = leaseState(lease(), ctx({ pidAlive: (pid) => pid !== 200 }));
    expect(dead).toMatchObject({ kind: 'abandoned', why: 'its process, pid 200 on h1, is gone' });
  });

  it('same host and our pid under another token: an earlier process that had our pid, so gone', () => {
    expect(leaseState(lease({ pid: 100 }), ctx())).toMatchObject({ kind: 'abandoned', why: expect.stringContaining('pid 100') as string });
  });

  it('another host: held on a fresh heartbeat without looking at pids (they mean nothing here)', () => {
    expect(leaseState(lease({ host: 'h2' }), ctx({ pidAlive: never }))).toMatchObject({ kind: 'held' });
    expect(leaseState(lease({ host: 'h2', heartbeatAt: iso(T0 - 60_000) }), ctx({ pidAlive: never }))).toMatchObject({ kind: 'held', heartbeatAgeMs: 60_000 });
  });

  it('any host: a heartbeat older than the stale limit is abandoned, even if a process has that pid', () => {
    const stale = iso(T0 - 60_001);
    expect(leaseState(lease({ host: 'h2', heartbeatAt: stale }), ctx({ pidAlive: never }))).toMatchObject({ kind: 'abandoned', why: `no heartbeat from pid 200 on h2 since ${stale}` });
    expect(leaseState(lease({ heartbeatAt: stale }), ctx())).toMatchObject({ kind: 'abandoned' });
    expect(leaseState(lease({ heartbeatAt: 'garbage' }), ctx())).toMatchObject({ kind: 'abandoned' });
  });

  it('a clock behind the heartbeat (skew between hosts) counts as a fresh heartbeat', () => {
    expect(leaseState(lease({ host: 'h2', heartbeatAt: iso(T0 + 30_000) }), ctx())).toEqual({ kind: 'held', lease: lease({ host: 'h2', heartbeatAt: iso(T0 + 30_000) }), heartbeatAgeMs: 0 });
  });
});

describe('pidAlive', () => {
  it('is true for this process and false for one that exited', async () => {
    expect(pidAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    expect(pidAlive(child.pid!)).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')('is false for a killed process its parent has not reaped yet (a zombie)', () => {
    const child = spawn('sleep', ['30']);
    const pid = child.pid!;
    child.kill('SIGKILL');
    // Block the event loop so Node cannot reap it, until the kernel shows it as a zombie.
    const state = () => { const s = readFileSync(`/proc/${pid}/stat`, 'utf8'); return s.charAt(s.lastIndexOf(')') + 2); };
    const until = Date.now() + 5_000;
    while (state() !== 'Z' && Date.now() < until) { /* spin */ }
    expect(state()).toBe('Z');
    expect(() => process.kill(pid, 0)).not.toThrow(); // signal 0 alone would call it alive
    expect(pidAlive(pid)).toBe(false);
  });
});

/** Two processes sharing one database file: each RunStore acts as its own owner, on one clock. */
function twoOwners() {
  const file = join(mkdtempSync(join(tmpdir(), 'llmops-lease-')), 'l.db');
  let now = T0;
  const alive = new Set<number>([1, 2]);
  const opts = (owner: LeaseOwner): RunStoreOptions => ({ owner, now: () => now, pidAlive: (pid) => alive.has(pid) });
  const a = new RunStore(openDatabase(file), opts({ host: 'h1', pid: 1, token: 'ta' }));
  const b = new RunStore(openDatabase(file), opts({ host: 'h1', pid: 2, token: 'tb' }));
  const id = 'r-lease-1';
  a.createRun({ id, batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, planned: 3, params: {} });
  return { file, a, b, id, alive, advance: (ms: number) => { now += ms; } };
}

describe('RunStore leases', () => {
  it('a new run is owned by its creator; another process sees it running and cannot take it', () => {
    const { a, b, id } = twoOwners();
    expect(a.getRun(id)).toMatchObject({ status: 'running', owner: { host: 'h1', pid: 1, since: iso(T0), heartbeatAt: iso(T0) } });
    expect(b.getRun(id).status).toBe('running');
    let err: unknown;
    try { b.acquireRun(id); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RunBusyError);
    expect((err as RunBusyError).exitCode).toBe(ExitCode.usage);
    expect((err as RunBusyError).message).toBe(`Run ${id} is being executed by another llmops process: pid 1 on host h1, since ${iso(T0)} (last heartbeat 0 s ago).`);
    expect(a.getRun(id).owner?.pid).toBe(1); // nothing written
  });

  it('once the owner is gone the run reads interrupted, and another process takes it over; the old owner is fenced off', () => {
    const { a, b, id, alive } = twoOwners();
    alive.delete(1); // kill -9
    expect(b.getRun(id)).toMatchObject({ status: 'interrupted', owner: { pid: 1, gone: 'its process, pid 1 on h1, is gone' } });
    expect(b.listRuns()[0]!.status).toBe('interrupted');
    expect(runStateLine(b.getRun(id))).toBe(`run ${id} was interrupted: its process, pid 1 on h1, is gone; resume it with \`llmops eval --resume ${id}\``);

    expect(b.acquireRun(id)).toMatchObject({ status: 'running', owner: { pid: 2 } });
    // Had the old owner only stalled, it would learn it lost the run and could not overwrite its status.
    expect(a.renewLeases([id])).toEqual([id]);
    expect(a.setStatus(id, 'interrupted')).toBe(false);
    expect(b.getRun(id)).toMatchObject({ status: 'running', owner: { pid: 2 } });
    expect(b.renewLeases([id])).toEqual([]);
  });

  it('a final status releases the lease; a completed run cannot be taken; an interrupted one can', () => {
    const { a, b, id } = twoOwners();
    expect(a.setStatus(id, 'interrupted')).toBe(true);
    const run = b.getRun(id);
    expect(run.status).toBe('interrupted');
    expect(run.owner).toBeUndefined();
    expect(runStateLine(run)).toBe(`run ${id} was interrupted; resume it with \`llmops eval --resume ${id}\``);
    expect(b.acquireRun(id).owner?.pid).toBe(2);
    expect(b.setStatus(id, 'completed')).toBe(true);
    expect(() => a.acquireRun(id)).toThrow(UsageError);
    expect(() => a.acquireRun(id)).toThrow(/already complete/);
    expect(runStateLine(a.getRun(id))).toBeUndefined();
  });

  it('another host: a fresh heartbeat holds the run, a stale one lets it go', () => {
    const { file, id } = twoOwners();
    // The same process seen from another machine: pids there say nothing, only the heartbeat.
    const other = new RunStore(openDatabase(file), { owner: { host: 'h2', pid: 1, token: 'tc' }, now: () => T0 + 30_000, pidAlive: () => false });
    expect(other.getRun(id).status).toBe('running');
    expect(() => other.acquireRun(id)).toThrow(/pid 1 on host h1, since .* \(last heartbeat 30 s ago\)/);
    const later = new RunStore(openDatabase(file), { owner: { host: 'h2', pid: 1, token: 'tc' }, now: () => T0 + STALE_AFTER_MS + 1, pidAlive: () => false });
    expect(later.getRun(id)).toMatchObject({ status: 'interrupted', owner: { gone: `no heartbeat from pid 1 on h1 since ${iso(T0)}` } });
    expect(later.acquireRun(id).owner?.host).toBe('h2');
  });

  it('a heartbeat keeps a live owner fresh for other hosts', () => {
    const { file, a, id, advance } = twoOwners();
    advance(50_000);
    expect(a.renewLeases([id])).toEqual([]);
    const other = new RunStore(openDatabase(file), { owner: { host: 'h2', pid: 9, token: 'tc' }, now: () => T0 + STALE_AFTER_MS + 1, pidAlive: () => false });
    expect(other.getRun(id)).toMatchObject({ status: 'running', owner: { heartbeatAt: iso(T0 + 50_000) } });
  });

  it('a running run with no owner at all (written before leases existed) reads interrupted', () => {
    const { file, a, id } = twoOwners();
    const db = openDatabase(file);
    db.prepare('UPDATE runs SET owner_host = NULL, owner_pid = NULL, owner_token = NULL, owner_since = NULL, heartbeat_at = NULL WHERE id = ?').run(id);
    expect(a.getRun(id).status).toBe('interrupted');
    expect(a.acquireRun(id).status).toBe('running');
  });

  it('runs of this process default to this host and pid', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'llmops-lease-')), 'd.db');
    const s = new RunStore(openDatabase(file));
    const run = s.createRun({ id: 'r-d', batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, planned: 1, params: {} });
    expect(run).toMatchObject({ status: 'running', owner: { host: thisProcess.host, pid: process.pid } });
  });
});

describe('keepLeases', () => {
  it('renews the heartbeat while the run executes, and stops the execution when another process took the run over', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'llmops-lease-')), 'k.db');
    const mine = new RunStore(openDatabase(file), { owner: { host: 'h1', pid: 1, token: 'ta' }, pidAlive: () => true });
    mine.createRun({ id: 'r-k', batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, planned: 1, params: {} });
    const first = mine.getRun('r-k').owner!.heartbeatAt;
    const keeper = keepLeases(mine, ['r-k'], undefined, 20);
    try {
      await new Promise((r) => setTimeout(r, 80));
      expect(Date.parse(mine.getRun('r-k').owner!.heartbeatAt)).toBeGreaterThan(Date.parse(first));
      expect(keeper.signal.aborted).toBe(false);
      // Another host decides this owner stalled past the limit and takes over.
      const thief = new RunStore(openDatabase(file), { owner: { host: 'h2', pid: 7, token: 'tt' }, now: () => Date.now() + STALE_AFTER_MS + 1_000 });
      thief.acquireRun('r-k');
      await new Promise((r) => setTimeout(r, 80));
      expect(keeper.signal.aborted).toBe(true);
      expect(String((keeper.signal.reason as Error).message)).toBe('another process took over run r-k');
    } finally {
      keeper.stop();
    }
  });

  it('aborts when its parent signal does (Ctrl-C, a closed output pipe)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'llmops-lease-')), 'p.db');
    const store = new RunStore(openDatabase(file));
    const parent = new AbortController();
    const keeper = keepLeases(store, [], parent.signal, 1_000);
    parent.abort('stop');
    expect(keeper.signal.aborted).toBe(true);
    expect(keeper.signal.reason).toBe('stop');
    keeper.stop();
  });
});
