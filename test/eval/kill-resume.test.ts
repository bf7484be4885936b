import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../support/cli.js';
import { storedResults } from '../support/stored-results.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';

describe('a run killed with SIGKILL', () => {
  it('keeps its committed results, and --resume completes it with exactly one result per case', async () => {
    const N = 400;
    const { dir, suiteDir } = await writeArithmeticSuite(N);
    const cfg = writeConfig(dir, [
      '  slow:',
      '    provider: sim',
      '    model: simulated-slow',
      '    sim: { accuracy: 0.9, latencyMs: { p50: 25, p95: 50 }, seed: 3 }',
    ].join('\n'));
    const db = join(dir, 'kill.db');
    const child = runCliAsync(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'slow', '-j', '8']);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const deadline = Date.now() + 30_000;
    while (storedResults(db) < 80 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    expect(child.exitCode, `eval ended before it could be killed: ${stderr}`).toBeNull();
    child.kill('SIGKILL');
    await once(child, 'exit');

    const kept = storedResults(db);
    expect(kept).toBeGreaterThanOrEqual(80);
    expect(kept).toBeLessThan(N);

    const list = runCli(['--db', db, '--json', 'runs', 'list']);
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout) as Array<{ id: string; status: string; owner?: { pid: number; gone?: string } }>;
    expect(runs).toHaveLength(1);
    // Nobody could mark it (it was killed), but its owner is gone: it reads interrupted, not running forever.
    expect(runs[0]!.status).toBe('interrupted');
    expect(runs[0]!.owner).toMatchObject({ pid: child.pid, gone: expect.stringContaining('is gone') as string });

    const resumed = runCli(['--db', db, '--config', cfg, 'eval', '--resume', runs[0]!.id]);
    expect(resumed.code, resumed.stderr).toBe(0);

    const d = new Database(db, { readonly: true });
    const row = d.prepare('SELECT count(*) AS n, count(DISTINCT case_id) AS ids, max(repeat) AS maxRepeat FROM results WHERE run_id = ?').get(runs[0]!.id) as { n: number; ids: number; maxRepeat: number };
    const status = (d.prepare('SELECT status FROM runs WHERE id = ?').get(runs[0]!.id) as { status: string }).status;
    d.close();
    expect(row).toEqual({ n: N, ids: N, maxRepeat: 0 });
    expect(status).toBe('completed');
  });
});
