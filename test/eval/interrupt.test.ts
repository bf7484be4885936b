import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, runCliAsync } from '../support/cli.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stored(db: string): { results: number; status: string; id: string } {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const run = d.prepare('SELECT id, status FROM runs').get() as { id: string; status: string };
    return { id: run.id, status: run.status, results: (d.prepare('SELECT count(*) AS n FROM results').get() as { n: number }).n };
  } finally {
    d.close();
  }
}

describe('interrupting an eval (SIGINT, as Ctrl-C sends)', () => {
  let upstream: WireServer;
  beforeAll(async () => {
    // Each answer takes 400 ms, so calls are in flight whenever the signal lands.
    upstream = await startOpenAIServer({ handler: () => ({ text: '42', headersDelayMs: 400 }) });
  });
  afterAll(async () => { await upstream.close(); });

  async function start(name: string) {
    const { dir, suiteDir } = await writeArithmeticSuite(200, { name });
    const cfg = writeConfig(dir, ['  wire:', '    provider: openai', '    model: gpt-test', `    baseURL: ${upstream.url}`, '    apiKeyEnv: LLMOPS_WIRE_KEY', '    timeoutMs: 5000'].join('\n'));
    const db = join(dir, 'int.db');
    const env = { LLMOPS_WIRE_KEY: 'test-key' };
    const before = upstream.requestCount;
    const child = runCliAsync(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'wire', '-j', '4', '--no-cache'], { env });
    const done = exitOf(child);
    const deadline = Date.now() + 20_000;
    while (upstream.requestCount - before < 10 && Date.now() < deadline) await sleep(20);
    return { child, done, db, cfg, env, calls: () => upstream.requestCount - before };
  }

  it('the first one starts no new case and stores every call already made; the run resumes from there', async () => {
    const { child, done, db, cfg, env, calls } = await start('graceful');
    child.kill('SIGINT');
    const { code, stderr } = await done;
    expect(code).toBe(3);
    expect(stderr).toMatch(/Stopping: no new cases; the calls in flight finish and are stored/);
    const run = stored(db);
    expect(run.status).toBe('interrupted');
    // Nothing paid for was thrown away: one stored result per call the model answered.
    expect(run.results).toBe(calls());
    expect(run.results).toBeLessThan(200);
    // Spawned, not spawnSync: the wire server in this process must keep answering.
    const resumed = await exitOf(runCliAsync(['--db', db, '--config', cfg, 'eval', '--resume', run.id, '-j', '16', '--no-cache'], { env }));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(stored(db)).toMatchObject({ results: 200, status: 'completed' });
  }, 90_000);

  it('a second one cancels the calls in flight: it stops at once, and those cases stay missing for --resume', async () => {
    const { child, done, db, calls } = await start('cancel');
    child.kill('SIGINT');
    await sleep(50);
    child.kill('SIGINT');
    const { code, stderr } = await done;
    expect(code).toBe(3);
    expect(stderr).toMatch(/Cancelling the calls in flight/);
    const run = stored(db);
    expect(run.status).toBe('interrupted');
    expect(run.results).toBeLessThan(calls());
  }, 90_000);
});
