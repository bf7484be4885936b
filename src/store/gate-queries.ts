import { migrate, type Migration } from './migrate.js';
import type { Db } from './open.js';

/** Tables owned by the gate: A/A noise calibrations. (Gate decisions live in the core schema.) */
const gateMigrations: Migration[] = [
  {
    version: 1,
    description: 'A/A noise calibrations per suite and model',
    sql: `
      CREATE TABLE gate_calibrations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        suite TEXT NOT NULL,
        model TEXT NOT NULL,
        run_a TEXT NOT NULL REFERENCES runs(id),
        run_b TEXT NOT NULL REFERENCES runs(id),
        noise TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX gate_calibrations_suite ON gate_calibrations (suite, created_at);
    `,
  },
];

export interface NoiseCalibration {
  id: number;
  suite: string;
  model: string;
  runA: string;
  runB: string;
  /** Per metric: the margin that covers A/A noise (absolute points, or a fraction for latency/cost). */
  noise: Record<string, number>;
  createdAt: string;
}

export function ensureGateSchema(db: Db): void {
  migrate(db, 'gate', gateMigrations);
}

export function saveNoiseCalibration(db: Db, c: Omit<NoiseCalibration, 'id' | 'createdAt'>, now = new Date()): number {
  ensureGateSchema(db);
  const info = db.prepare('INSERT INTO gate_calibrations (suite, model, run_a, run_b, noise, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(c.suite, c.model, c.runA, c.runB, JSON.stringify(c.noise), now.toISOString());
  return Number(info.lastInsertRowid);
}

/** The latest calibration of a suite (any model): noise is a property of the suite and sampling. */
export function latestNoiseCalibration(db: Db, suite: string): NoiseCalibration | undefined {
  ensureGateSchema(db);
  const row = db.prepare('SELECT * FROM gate_calibrations WHERE suite = ? ORDER BY id DESC LIMIT 1').get(suite) as
    | { id: number; suite: string; model: string; run_a: string; run_b: string; noise: string; created_at: string } | undefined;
  return row ? { id: row.id, suite: row.suite, model: row.model, runA: row.run_a, runB: row.run_b, noise: JSON.parse(row.noise) as Record<string, number>, createdAt: row.created_at } : undefined;
}
