import { ExitCode, LlmopsError } from '../errors.js';
import { migrate, type Migration } from '../store/migrate.js';
import type { Db } from '../store/open.js';
import { HEARTBEAT_EVERY_MS, leaseOf, leaseState, pidAlive, STALE_AFTER_MS, thisProcess, type LeaseColumns, type LeaseOwner, type StoredLease } from '../store/run-lease.js';

/**
 * One gateway per control-plane database. Deployments, weights and canary state live in memory
 * and are written through to SQLite; a second gateway on the same file would run its own
 * canary controllers on half the traffic and overwrite the first one's state. So `gateway start`
 * takes the database's lease (one row: host, pid, token, heartbeat), the same lease rules as a
 * resumed eval run (store/run-lease.ts): refused while its owner is alive, taken over at once
 * when the owner's pid is gone on this host, or after a minute without a heartbeat from another.
 * Several replicas need the shared store the design plans (PostgreSQL), not one SQLite file.
 */
export const controlPlaneLeaseMigrations: Migration[] = [
  {
    version: 1,
    description: 'the gateway that owns this control plane (host, pid, token, since, heartbeat)',
    // The lease columns of `runs` (run-lease.ts), so one leaseOf reads both.
    sql: `CREATE TABLE gateway_owner (
      id INTEGER PRIMARY KEY CHECK (id = 1), owner_host TEXT NOT NULL, owner_pid INTEGER NOT NULL, owner_token TEXT NOT NULL,
      owner_since TEXT NOT NULL, heartbeat_at TEXT NOT NULL)`,
  },
];

/** `gateway start` on a database another live gateway serves from: refused, nothing changed (exit 2). */
export class ControlPlaneBusyError extends LlmopsError {
  constructor(file: string, owner: StoredLease, heartbeatAgeMs: number) {
    super(
      `The database ${file} is the control plane of a running gateway: pid ${owner.pid} on host ${owner.host}, since ${owner.since} (last heartbeat ${Math.round(heartbeatAgeMs / 1000)} s ago).`,
      {
        exitCode: ExitCode.usage,
        hint: 'Two gateways on one SQLite control plane would overwrite each other\'s deployments and canaries. Give this one its own --db, or stop the other ' +
          `(a gateway that died is replaced at once on the same host, after ${STALE_AFTER_MS / 1000} s without a heartbeat from another host).`,
      },
    );
  }
}

export interface ControlPlaneLease {
  /** Stops the heartbeat and gives the database up (on shutdown, before it closes). */
  release(): void;
}

export interface AcquireOptions {
  self?: LeaseOwner;
  now?: () => number;
  pidAlive?: (pid: number) => boolean;
  /** Heartbeat period (tests shorten it). */
  heartbeatMs?: number;
}

/** Takes the control plane of `db` (`file` names it in the refusal) or throws ControlPlaneBusyError. */
export function acquireControlPlane(db: Db, file: string, opts: AcquireOptions = {}): ControlPlaneLease {
  migrate(db, 'gateway-owner', controlPlaneLeaseMigrations);
  const self = opts.self ?? thisProcess;
  const now = opts.now ?? Date.now;
  db.transaction(() => {
    const row = db.prepare('SELECT * FROM gateway_owner WHERE id = 1').get() as LeaseColumns | undefined;
    // The clock is read inside the write lock: waiting for it may take a while.
    const state = leaseState(row ? leaseOf(row) : null, { self, nowMs: now(), staleAfterMs: STALE_AFTER_MS, pidAlive: opts.pidAlive ?? pidAlive });
    if (state.kind === 'held') throw new ControlPlaneBusyError(file, state.lease, state.heartbeatAgeMs);
    const ts = new Date(now()).toISOString();
    db.prepare('INSERT OR REPLACE INTO gateway_owner (id, owner_host, owner_pid, owner_token, owner_since, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?)').run(self.host, self.pid, self.token, ts, ts);
  }).immediate();
  const beat = db.prepare('UPDATE gateway_owner SET heartbeat_at = ? WHERE id = 1 AND owner_token = ?');
  const timer = setInterval(() => {
    // Closed under the timer (shutdown without release): nothing left to renew. A busy database
    // (the request-log writer's transaction outlasting the busy timeout) only skips this beat.
    if (!db.open) return clearInterval(timer);
    try {
      beat.run(new Date(now()).toISOString(), self.token);
    } catch {
      // Retried at the next beat; six missed beats in a row are needed before another host may take over.
    }
  }, opts.heartbeatMs ?? HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    release() {
      clearInterval(timer);
      db.prepare('DELETE FROM gateway_owner WHERE id = 1 AND owner_token = ?').run(self.token);
    },
  };
}
