import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { LlmopsError, ExitCode } from '../errors.js';
import type { Migration } from './migrate.js';

/**
 * Run ownership. The process executing a run holds a lease on its row (host, pid, a random
 * token, since, heartbeat): a second `eval --resume` of that run is refused while the owner is
 * alive, and a run whose owner died (kill -9, a crash, a lost machine) reads as `interrupted`
 * and can be resumed. Taking a lease is one IMMEDIATE transaction in RunStore, so two resumes
 * started at once cannot both win.
 */

/** Who a process is, as written on the runs it owns. */
export interface LeaseOwner {
  host: string;
  pid: number;
  /** Random per process: tells this process from an earlier one that had the same pid. */
  token: string;
}

/** A lease as stored on a run row. */
export interface StoredLease {
  host: string;
  pid: number;
  token: string;
  /** ISO time the lease was taken. */
  since: string;
  /** ISO time of the owner's last heartbeat. */
  heartbeatAt: string;
}

/** The owner writes a heartbeat this often while it executes a run. */
export const HEARTBEAT_EVERY_MS = 10_000;
/**
 * A lease whose heartbeat is older than this is abandoned, whatever its host: the only way to
 * tell that a process on another machine sharing the database died (or that a pid on this one
 * now belongs to another program). Six missed heartbeats: a busy owner is never mistaken for
 * a dead one; a dead one on another host is resumable after a minute.
 */
export const STALE_AFTER_MS = 60_000;

/** This process. */
export const thisProcess: LeaseOwner = { host: hostname(), pid: process.pid, token: randomBytes(8).toString('hex') };

/** Whether a process with this pid runs on this host (EPERM: it exists, owned by another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A killed process its parent has not reaped yet (a zombie) still answers signal 0. Linux
  // tells it apart in /proc; elsewhere the pid answering is all there is to go by.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return true;
  }
}

export interface LeaseContext {
  self: LeaseOwner;
  nowMs: number;
  staleAfterMs: number;
  pidAlive: (pid: number) => boolean;
}

export type LeaseState =
  | { kind: 'free' }
  | { kind: 'mine' }
  /** Another live process owns the run. */
  | { kind: 'held'; lease: StoredLease; heartbeatAgeMs: number }
  /** The owner is gone: the run may be taken over. */
  | { kind: 'abandoned'; lease: StoredLease; why: string };

/**
 * What a stored lease means to the process `ctx.self`. Pure: the clock and the pid check are
 * injected. Same host: the owner is alive while its pid is (and is not this process under an
 * older token). Any host: a heartbeat older than `staleAfterMs` means the owner is gone.
 */
export function leaseState(lease: StoredLease | null, ctx: LeaseContext): LeaseState {
  if (!lease) return { kind: 'free' };
  if (lease.token === ctx.self.token) return { kind: 'mine' };
  const beat = Date.parse(lease.heartbeatAt);
  const heartbeatAgeMs = Number.isNaN(beat) ? Number.POSITIVE_INFINITY : Math.max(0, ctx.nowMs - beat);
  if (heartbeatAgeMs > ctx.staleAfterMs) {
    return { kind: 'abandoned', lease, why: `no heartbeat from pid ${lease.pid} on ${lease.host} since ${lease.heartbeatAt}` };
  }
  if (lease.host === ctx.self.host) {
    if (lease.pid === ctx.self.pid || !ctx.pidAlive(lease.pid)) {
      return { kind: 'abandoned', lease, why: `its process, pid ${lease.pid} on ${lease.host}, is gone` };
    }
  }
  return { kind: 'held', lease, heartbeatAgeMs };
}

/**
 * The lease columns on `runs`, versioned as their own component so they never collide with the
 * core schema's steps. NULL owner: nobody executes the run.
 */
export const runLeaseMigrations: Migration[] = [
  {
    version: 1,
    description: 'run leases: the process executing a run (host, pid, token, since, heartbeat)',
    sql: `
      ALTER TABLE runs ADD COLUMN owner_host TEXT;
      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE runs ADD COLUMN owner_token TEXT;
      ALTER TABLE runs ADD COLUMN owner_since TEXT;
      ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
    `,
  },
];

/** The lease columns of a run row (absent on a database opened read-only before the migration). */
export interface LeaseColumns {
  owner_host?: string | null;
  owner_pid?: number | null;
  owner_token?: string | null;
  owner_since?: string | null;
  heartbeat_at?: string | null;
}

export function leaseOf(row: LeaseColumns): StoredLease | null {
  if (row.owner_token == null || row.owner_pid == null) return null;
  return { host: row.owner_host ?? '', pid: row.owner_pid, token: row.owner_token, since: row.owner_since ?? '', heartbeatAt: row.heartbeat_at ?? '' };
}

/** `eval --resume` of a run another live process is executing: refused, nothing written (exit 2). */
export class RunBusyError extends LlmopsError {
  readonly runId: string;
  readonly owner: StoredLease;
  constructor(runId: string, owner: StoredLease, heartbeatAgeMs: number) {
    super(
      `Run ${runId} is being executed by another llmops process: pid ${owner.pid} on host ${owner.host}, since ${owner.since} (last heartbeat ${Math.round(heartbeatAgeMs / 1000)} s ago).`,
      {
        exitCode: ExitCode.usage,
        hint: `Let it finish, or stop it (Ctrl-C marks the run interrupted) and resume then. A run whose process died can be resumed: at once on the same host, after ${STALE_AFTER_MS / 1000} s without a heartbeat from another host.`,
      },
    );
    this.runId = runId;
    this.owner = owner;
  }
}
