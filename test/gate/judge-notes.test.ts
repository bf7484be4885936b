import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const recording = 'replay:suites/support-rag/answers.recording.jsonl';

describe('a gate over judge-scored metrics', () => {
  it('warns while a judge + rubric has no calibration, and stops warning for one calibrated above the floor', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'llmops-notes-')), 'n.db');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = runCli(['--db', db, '--json', 'eval', 'suites/support-rag', '-m', recording], { timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(0);
      ids.push((JSON.parse(r.stdout) as { runs: Array<{ runId: string }> }).runs[0]!.runId);
    }
    const before = runCli(['--db', db, '--json', 'gate', ids[1]!, '--baseline', ids[0]!]);
    const v1 = JSON.parse(before.stdout) as { notes?: string[] };
    expect(v1.notes?.some((n) => /faithfulness|no calibration/.test(n))).toBe(true);
    const uncalibrated = v1.notes!.length;
    expect(uncalibrated).toBeGreaterThanOrEqual(2); // faithfulness's claims judge and the helpfulness rubric

    const cal = runCli(['--db', db, 'judge', 'calibrate', '--suite', 'suites/support-rag', '--labels', 'suites/support-rag/labels/faithfulness.jsonl', '--scorer', 'faithfulness'], { timeoutMs: 120_000 });
    expect(cal.code, cal.stderr).toBe(0);
    const after = runCli(['--db', db, '--json', 'gate', ids[1]!, '--baseline', ids[0]!]);
    const v2 = JSON.parse(after.stdout) as { notes?: string[] };
    expect((v2.notes ?? []).length).toBe(uncalibrated - 1);
    const text = runCli(['--db', db, 'gate', ids[1]!, '--baseline', ids[0]!]);
    expect(text.stdout).toMatch(/warning: judge .* has no calibration/);
  });
});
