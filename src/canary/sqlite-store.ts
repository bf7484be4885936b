import type { Migration } from '../store/migrate.js';
import type { Db } from '../store/open.js';
import type { CanaryStore } from './ports.js';
import type { CanaryState } from './state.js';

export const canaryMigrations: Migration[] = [
  {
    version: 1,
    description: 'canary state per deployment',
    sql: `CREATE TABLE canary_state (deployment TEXT PRIMARY KEY, state_json TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  },
];

/** Canary state in the gateway's SQLite database (component `canary`). Written only on transitions. */
export class SqliteCanaryStore implements CanaryStore {
  constructor(private readonly db: Db) {}
  loadAll(): CanaryState[] {
    const rows = this.db.prepare('SELECT state_json FROM canary_state ORDER BY deployment').all() as Array<{ state_json: string }>;
    return rows.map((r) => JSON.parse(r.state_json) as CanaryState);
  }
  save(state: CanaryState): void {
    this.db
      .prepare('INSERT INTO canary_state (deployment, state_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(deployment) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at')
      .run(state.deployment, JSON.stringify(state), new Date().toISOString());
  }
}
