/**
 * Experiments and their assignments survive a gateway restart. The engine writes here on its
 * decision tick (batched, one transaction), never on the request path.
 */
import type { Migration } from '../store/migrate.js';
import type { Db } from '../store/open.js';
import type { ArmName, ExperimentRecord } from './types.js';

export interface Assignment {
  userHash: string;
  arm: ArmName;
  firstSeen: number;
}

export interface ExperimentStore {
  loadAll(): ExperimentRecord[];
  /** Saves the record and appends new assignments atomically. */
  save(record: ExperimentRecord, newAssignments: readonly Assignment[]): void;
  loadAssignments(experimentId: string): Assignment[];
}

export const experimentMigrations: Migration[] = [
  {
    version: 1,
    description: 'A/B experiments and sticky assignments',
    sql: `
      CREATE TABLE experiments (id TEXT PRIMARY KEY, deployment TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, state_json TEXT NOT NULL);
      CREATE INDEX experiments_deployment ON experiments (deployment, started_at);
      CREATE TABLE experiment_assignments (
        experiment_id TEXT NOT NULL REFERENCES experiments(id), user_hash TEXT NOT NULL, arm TEXT NOT NULL, first_seen TEXT NOT NULL,
        PRIMARY KEY (experiment_id, user_hash));
    `,
  },
];

export class SqliteExperimentStore implements ExperimentStore {
  constructor(private readonly db: Db) {}

  loadAll(): ExperimentRecord[] {
    const rows = this.db.prepare('SELECT state_json FROM experiments ORDER BY started_at, id').all() as Array<{ state_json: string }>;
    return rows.map((r) => JSON.parse(r.state_json) as ExperimentRecord);
  }

  save(record: ExperimentRecord, newAssignments: readonly Assignment[]): void {
    const upsert = this.db.prepare(`INSERT INTO experiments (id, deployment, status, started_at, state_json) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET status = excluded.status, state_json = excluded.state_json`);
    // A user keeps the arm of their first request: later rows for the same user are ignored.
    const assign = this.db.prepare('INSERT OR IGNORE INTO experiment_assignments (experiment_id, user_hash, arm, first_seen) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      upsert.run(record.id, record.spec.deployment, record.status, new Date(record.startedAt).toISOString(), JSON.stringify(record));
      for (const a of newAssignments) assign.run(record.id, a.userHash, a.arm, new Date(a.firstSeen).toISOString());
    })();
  }

  loadAssignments(experimentId: string): Assignment[] {
    const rows = this.db.prepare('SELECT user_hash, arm, first_seen FROM experiment_assignments WHERE experiment_id = ?').all(experimentId) as Array<{ user_hash: string; arm: ArmName; first_seen: string }>;
    return rows.map((r) => ({ userHash: r.user_hash, arm: r.arm, firstSeen: Date.parse(r.first_seen) }));
  }
}

/** For a gateway without a database: experiments last as long as the process. */
export class MemoryExperimentStore implements ExperimentStore {
  private readonly records = new Map<string, ExperimentRecord>();
  private readonly assignments = new Map<string, Map<string, Assignment>>();
  loadAll(): ExperimentRecord[] {
    return [...this.records.values()].map((r) => structuredClone(r));
  }
  save(record: ExperimentRecord, newAssignments: readonly Assignment[]): void {
    this.records.set(record.id, structuredClone(record));
    const m = this.assignments.get(record.id) ?? new Map<string, Assignment>();
    for (const a of newAssignments) if (!m.has(a.userHash)) m.set(a.userHash, { ...a });
    this.assignments.set(record.id, m);
  }
  loadAssignments(experimentId: string): Assignment[] {
    return [...(this.assignments.get(experimentId)?.values() ?? [])];
  }
}
