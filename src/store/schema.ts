import type { Migration } from './migrate.js';

export const coreMigrations: Migration[] = [
  {
    version: 1,
    description: 'runs, results, scores, response cache, baselines, gate decisions',
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        batch_id TEXT NOT NULL,
        suite TEXT NOT NULL,
        suite_hash TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        synthetic INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running','completed','incomplete','interrupted')),
        planned INTEGER NOT NULL,
        params TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX runs_suite ON runs (suite, started_at);
      CREATE TABLE results (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        case_id TEXT NOT NULL,
        repeat INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('pass','fail','error')),
        output TEXT,
        error_kind TEXT,
        error_message TEXT,
        latency_ms REAL,
        ttft_ms REAL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cost_usd REAL,
        attempts INTEGER NOT NULL,
        cached INTEGER NOT NULL,
        tags TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, case_id, repeat)
      ) WITHOUT ROWID;
      CREATE TABLE scores (
        run_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        repeat INTEGER NOT NULL,
        name TEXT NOT NULL,
        value REAL NOT NULL,
        pass INTEGER,
        reason TEXT,
        meta TEXT,
        PRIMARY KEY (run_id, case_id, repeat, name),
        FOREIGN KEY (run_id, case_id, repeat) REFERENCES results (run_id, case_id, repeat) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE TABLE response_cache (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        text TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        ttft_ms REAL,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE baselines (
        suite TEXT PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id),
        set_at TEXT NOT NULL
      );
      CREATE TABLE gate_decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs(id),
        baseline_run_id TEXT REFERENCES runs(id),
        verdict TEXT NOT NULL CHECK (verdict IN ('pass','fail','inconclusive')),
        policy TEXT NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'scores.error: a scorer that could not evaluate a result, stored beside the others\' scores',
    // A row with `error` set is not a score (value 0 and pass NULL are placeholders): the store
    // reads it back as a ScoreError, never as a Score. The primary key keeps one row per scorer.
    sql: 'ALTER TABLE scores ADD COLUMN error TEXT;',
  },
];
