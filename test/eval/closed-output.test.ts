import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli } from '../support/cli.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('an eval whose output pipe closes (EPIPE)', () => {
  it('`llmops eval … 2>&1 | head -1` stops the run as Ctrl-C does: exit 3, run interrupted and resumable, not exit 1', async () => {
    const N = 200;
    const { dir, suiteDir } = await writeArithmeticSuite(N);
    // ~10 s of work at -j 2; progress is printed every 5 s (CI), and that write meets the closed pipe.
    const cfg = writeConfig(dir, ['  slow:', '    provider: sim', '    model: simulated-slow', '    sim: { accuracy: 0.9, latencyMs: { p50: 100, p95: 120 }, seed: 3 }'].join('\n'));
    const db = join(dir, 'pipe.db');
    const cmd = [process.execPath, cliPath, '--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'slow', '-j', '2'].map(quote).join(' ');
    const r = spawnSync('bash', ['-c', `${cmd} 2>&1 | head -1; exit "\${PIPESTATUS[0]}"`], {
      cwd: repoRoot, env: { ...process.env, CI: '1', NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.stdout).toMatch(/^run r-\S+: slow on arith, 200 results planned\n$/);
    expect(r.status, r.stderr).toBe(3); // "incomplete", not 1 ("gate failed") from an uncaught EPIPE

    const d = new Database(db, { readonly: true });
    const run = d.prepare('SELECT id, status, owner_pid FROM runs').get() as { id: string; status: string; owner_pid: number | null };
    const stored = (d.prepare('SELECT count(*) AS n FROM results').get() as { n: number }).n;
    d.close();
    // Marked by the process itself (not derived from a dead owner), its lease released, in-flight results kept.
    expect(run).toMatchObject({ status: 'interrupted', owner_pid: null });
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(N);

    const resumed = runCli(['--db', db, '--config', cfg, '--json', 'eval', '--resume', run.id, '-j', '8']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((JSON.parse(resumed.stdout) as { runs: Array<{ results: number; status: string }> }).runs[0]).toMatchObject({ results: N, status: 'completed' });
  }, 90_000);
});
