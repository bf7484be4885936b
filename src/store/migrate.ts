import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors.js';

/** One schema step. Steps are append-only: never edit a released step, add a new one. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Applies the pending migrations of one component (core, judge, review, gateway…) in a single
 * transaction each. Components version independently, so modules can own their tables.
 */
export function migrate(db: Database, component: string, steps: ReadonlyArray<Migration>): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (component, version))`);
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations WHERE component = ?').get(component) as { v: number | null };
  const current = row.v ?? 0;
  const known = Math.max(0, ...steps.map((s) => s.version));
  if (current > known) {
    throw new StoreError(
      `The database schema of '${component}' is version ${current}, newer than this llmops understands (${known}).`,
      'Upgrade llmops, or use another --db.',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (component, version, description, applied_at) VALUES (?, ?, ?, ?)');
  for (const step of [...steps].sort((a, b) => a.version - b.version)) {
    if (step.version <= current) continue;
    db.transaction(() => {
      db.exec(step.sql);
      record.run(component, step.version, step.description, new Date().toISOString());
    })();
  }
}
