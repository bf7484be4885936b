import type { Db, Migration } from '../../store/index.js';
import { migrate } from '../../store/index.js';
import { primaryKappa, type AgreementReport } from './agreement.js';

/** The judge component's tables, versioned independently of the core schema. */
export const judgeMigrations: Migration[] = [
  {
    version: 1,
    description: 'judge calibrations against human labels',
    sql: `
      CREATE TABLE judge_calibrations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        judge_model TEXT NOT NULL,
        rubric_hash TEXT NOT NULL,
        scorer_type TEXT NOT NULL,
        suite TEXT NOT NULL,
        labels_file TEXT NOT NULL,
        labels_hash TEXT NOT NULL,
        n INTEGER NOT NULL,
        judge_errors INTEGER NOT NULL,
        agreement REAL NOT NULL,
        kappa REAL,
        kappa_linear REAL,
        kappa_quadratic REAL,
        primary_kappa REAL,
        leniency TEXT NOT NULL,
        report TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX judge_calibrations_key ON judge_calibrations (judge_model, rubric_hash, created_at);
    `,
  },
  {
    version: 2,
    description: 'judge reply cache (validated replies only)',
    sql: `
      CREATE TABLE judge_cache (
        key TEXT PRIMARY KEY,
        judge_model TEXT NOT NULL,
        text TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

export const JUDGE_COMPONENT = 'judge';

/** Creates the judge tables in an already opened llmops database if they are missing. */
export function ensureJudgeSchema(db: Db): void {
  migrate(db, JUDGE_COMPONENT, judgeMigrations);
}

export interface CalibrationRecord {
  id: number;
  judgeModel: string;
  rubricHash: string;
  scorerType: string;
  suite: string;
  labelsFile: string;
  labelsHash: string;
  judgeErrors: number;
  report: AgreementReport;
  /** The kappa checked against the floor (quadratic-weighted for ordinal scales). */
  primaryKappa: number | null;
  createdAt: string;
}

export type NewCalibration = Omit<CalibrationRecord, 'id' | 'primaryKappa' | 'createdAt'>;

export function saveCalibration(db: Db, c: NewCalibration, now: Date = new Date()): CalibrationRecord {
  ensureJudgeSchema(db);
  const r = c.report;
  const pk = primaryKappa(r);
  const info = db
    .prepare(
      `INSERT INTO judge_calibrations (judge_model, rubric_hash, scorer_type, suite, labels_file, labels_hash, n, judge_errors,
        agreement, kappa, kappa_linear, kappa_quadratic, primary_kappa, leniency, report, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(c.judgeModel, c.rubricHash, c.scorerType, c.suite, c.labelsFile, c.labelsHash, r.n, c.judgeErrors, r.agreement, r.kappa, r.kappaLinear, r.kappaQuadratic, pk, r.leniency, JSON.stringify(r), now.toISOString());
  return { ...c, id: Number(info.lastInsertRowid), primaryKappa: pk, createdAt: now.toISOString() };
}

interface Row {
  id: number;
  judge_model: string;
  rubric_hash: string;
  scorer_type: string;
  suite: string;
  labels_file: string;
  labels_hash: string;
  judge_errors: number;
  primary_kappa: number | null;
  report: string;
  created_at: string;
}

function tableExists(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'judge_calibrations'").get() !== undefined;
}

/** The most recent calibration of this judge model with this rubric, if any. Read-only: works on a read-only database. */
export function latestCalibration(db: Db, judgeModel: string, rubricHash: string): CalibrationRecord | undefined {
  if (!tableExists(db)) return undefined;
  const row = db
    .prepare('SELECT * FROM judge_calibrations WHERE judge_model = ? AND rubric_hash = ? ORDER BY created_at DESC, id DESC LIMIT 1')
    .get(judgeModel, rubricHash) as Row | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    judgeModel: row.judge_model,
    rubricHash: row.rubric_hash,
    scorerType: row.scorer_type,
    suite: row.suite,
    labelsFile: row.labels_file,
    labelsHash: row.labels_hash,
    judgeErrors: row.judge_errors,
    report: JSON.parse(row.report) as AgreementReport,
    primaryKappa: row.primary_kappa,
    createdAt: row.created_at,
  };
}
