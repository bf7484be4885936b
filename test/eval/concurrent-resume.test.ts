import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, runCli, runCliAsync } from '../support/cli.js';
import { storedResults } from '../support/stored-results.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('one process owns a run while it executes it', () => {
  let upstream: WireServer;
  beforeAll(async () => {
    // Slow enough that the two resumes below overlap for seconds.
    upstream = await startOpenAIServer({ handler: () => ({ text: '42', headersDelayMs: 60 }) });
  });
  afterAll(async () => { await upstream.close(); });

  it('after kill -9 the run reads interrupted; of two resumes started at once one runs it, the other is refused (exit 2); the model is called once per missing case', async () => {
    const N = 200;
    const { dir, suiteDir } = await writeArithmeticSuite(N);
    const cfg = writeConfig(dir, ['  wire:', '    provider: openai', '    model: gpt-test', `    baseURL: ${upstream.url}`, '    apiKeyEnv: LLMOPS_WIRE_KEY', '    timeoutMs: 5000'].join('\n'));
    const db = join(dir, 'own.db');
    const env = { LLMOPS_WIRE_KEY: 'test-key' };

    const first = runCliAsync(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'wire', '-j', '2', '--no-cache'], { env });
    const firstDone = exitOf(first);
    const deadline = Date.now() + 30_000;
    while (storedResults(db) < 52 && Date.now() < deadline && first.exitCode === null) await sleep(20);
    expect(first.exitCode, 'eval ended before it could be killed').toBeNull();
    first.kill('SIGKILL');
    await firstDone;
    await sleep(200); // requests the killed process had already sent may still be arriving
    const stored = storedResults(db);
    expect(stored).toBeGreaterThanOrEqual(52);
    expect(stored).toBeLessThan(N);

    // runs list / runs show: not 'running' forever, and they say how to resume.
    const listed = runCli(['--db', db, '--json', 'runs', 'list']);
    const [run] = JSON.parse(listed.stdout) as Array<{ id: string; status: string; owner: { pid: number; gone: string } }>;
    expect(run!.status).toBe('interrupted');
    expect(run!.owner).toMatchObject({ pid: first.pid, gone: expect.stringMatching(/^its process, pid \d+ on .+, is gone$/) as string });
    const text = runCli(['--db', db, 'runs', 'list']);
    expect(text.stdout).toMatch(/interrupted/);
    expect(text.stderr).toContain(`llmops eval --resume ${run!.id}`);
    const shown = runCli(['--db', db, 'runs', 'show', run!.id.slice(0, 12)]);
    expect(shown.stdout).toContain(`run ${run!.id} was interrupted: its process, pid ${first.pid}`);
    expect(shown.stdout).toContain(`resume it with \`llmops eval --resume ${run!.id}\``);

    const callsBefore = upstream.requestCount;
    const a = runCliAsync(['--db', db, '--config', cfg, 'eval', '--resume', run!.id, '-j', '2', '--no-cache'], { env });
    const b = runCliAsync(['--db', db, '--config', cfg, 'eval', '--resume', run!.id, '-j', '2', '--no-cache'], { env });
    const results = await Promise.all([exitOf(a), exitOf(b)]);
    const winner = results.find((r) => r.code === 0);
    const loser = results.find((r) => r.code !== 0);
    expect(winner, results.map((r) => r.stderr).join('\n---\n')).toBeDefined();
    expect(loser!.code, loser!.stderr).toBe(2);
    expect(loser!.stderr).toMatch(new RegExp(`Run ${run!.id} is being executed by another llmops process: pid ${winner!.pid} on host \\S+, since \\d{4}-\\d\\d-\\d\\dT`));
    expect(loser!.stdout).toBe('');

    // Exactly one call per missing case: nobody paid twice.
    expect(upstream.requestCount - callsBefore).toBe(N - stored);
    const d = new Database(db, { readonly: true });
    const row = d.prepare('SELECT count(*) AS n, count(DISTINCT case_id) AS ids FROM results WHERE run_id = ?').get(run!.id) as { n: number; ids: number };
    const after = d.prepare('SELECT status, owner_pid FROM runs WHERE id = ?').get(run!.id) as { status: string; owner_pid: number | null };
    d.close();
    expect(row).toEqual({ n: N, ids: N });
    expect(after).toEqual({ status: 'completed', owner_pid: null }); // the lease is released at the end
  }, 90_000);

  it('a run owned from another host sharing the database is refused while its heartbeat is fresh, and resumable once it is stale', async () => {
    const { dir, suiteDir } = await writeArithmeticSuite(30);
    const cfg = writeConfig(dir, ['  fast:', '    provider: sim', '    model: simulated-fast', '    sim: { accuracy: 0.9, seed: 1 }'].join('\n'));
    const db = join(dir, 'hosts.db');
    const made = runCli(['--db', db, '--config', cfg, '--json', 'eval', suiteDir, '-m', 'fast', '--limit', '10']);
    expect(made.code, made.stderr).toBe(0);
    const runId = (JSON.parse(made.stdout) as { runs: Array<{ runId: string }> }).runs[0]!.runId;
    // Stand in for a process on another machine holding the run (planned over the whole suite).
    const claim = (heartbeatAt: string) => {
      const d = new Database(db);
      d.prepare(`UPDATE runs SET status = 'running', planned = 30, params = json_set(params, '$.selection', json('{}')), finished_at = NULL,
        owner_host = 'build-box-7', owner_pid = ?, owner_token = 'remote', owner_since = '2026-01-01T00:00:00.000Z', heartbeat_at = ? WHERE id = ?`)
        .run(process.pid, heartbeatAt, runId);
      d.close();
    };

    claim(new Date().toISOString());
    const status = () => (JSON.parse(runCli(['--db', db, '--json', 'runs', 'list']).stdout) as Array<{ status: string }>)[0]!.status;
    expect(status()).toBe('running');
    const refused = runCli(['--db', db, '--config', cfg, 'eval', '--resume', runId]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`pid ${process.pid} on host build-box-7, since 2026-01-01T00:00:00.000Z \\(last heartbeat \\d+ s ago\\)`));
    expect(refused.stderr).toMatch(/after 60 s without a heartbeat from another host/);

    claim(new Date(Date.now() - 61_000).toISOString());
    expect(status()).toBe('interrupted');
    const resumed = runCli(['--db', db, '--config', cfg, '--json', 'eval', '--resume', runId]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((JSON.parse(resumed.stdout) as { runs: Array<{ results: number; status: string }> }).runs[0]).toMatchObject({ results: 30, status: 'completed' });
  }, 60_000);
});
