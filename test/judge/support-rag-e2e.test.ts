/**
 * The faithfulness suite end to end: `llmops eval` (built CLI) replays the generated answers
 * whose hallucinations are known by construction, and the stored faithfulness scores must flag
 * exactly those answers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { summarizeJudgeScores } from '../../src/judge/metrics.js';
import { runCli } from '../support/cli.js';
import { readJsonl, SUITE_DIR } from './support.js';

describe('suites/support-rag through llmops eval', () => {
  it('flags the 85 constructed hallucinations and nothing else', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'llmops-rag-')), 'rag.db');
    const r = runCli(['--db', db, '--json', 'eval', 'suites/support-rag', '-m', 'replay:suites/support-rag/answers.recording.jsonl']);
    expect(r.stderr).not.toMatch(/no recorded answer/);
    expect(r.code, r.stderr).toBe(0);

    const conn = new Database(db, { readonly: true });
    const rows = conn
      .prepare("SELECT case_id, value, pass, reason, meta FROM scores WHERE name = 'faithfulness' ORDER BY case_id")
      .all() as Array<{ case_id: string; value: number; pass: number; reason: string; meta: string }>;
    const outcomes = conn.prepare("SELECT outcome, count(*) AS n FROM results GROUP BY outcome").all() as Array<{ outcome: string; n: number }>;
    conn.close();

    const labels = new Map(readJsonl<{ id: string; label: boolean; kind: string }>(`${SUITE_DIR}labels/faithfulness.jsonl`).map((l) => [l.id, l]));
    expect(rows).toHaveLength(200);
    for (const row of rows) {
      const meta = JSON.parse(row.meta) as { hallucination: boolean; judgeModel: string };
      const label = labels.get(row.case_id)!;
      expect(meta.hallucination, `${row.case_id} (${label.kind}): ${row.reason}`).toBe(!label.label);
      expect(meta.judgeModel).toBe('sim:judge');
    }
    // faithfulness gates the case: the 85 hallucinated answers fail, the 115 faithful ones pass.
    expect(Object.fromEntries(outcomes.map((o) => [o.outcome, o.n]))).toEqual({ pass: 115, fail: 85 });

    const metrics = summarizeJudgeScores(rows.map((row) => ({ name: 'faithfulness', value: row.value, pass: row.pass === 1, meta: JSON.parse(row.meta) as Record<string, unknown> })));
    expect(metrics.hallucination[0]).toMatchObject({ n: 200, hallucinations: 85, rate: 0.425 });
  });
});
