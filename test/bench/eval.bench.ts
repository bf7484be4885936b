/**
 * Eval runner benchmarks (issue 2). Each figure is a ratio measured in this run:
 *  1. pure overhead: 10,000 cases on a zero-latency simulated model, exact scorer, stored in
 *     SQLite → cases/s (target ≥ 5,000/s);
 *  2. latency-bound: 2,000 cases at 100 ms simulated latency with -j 100 → wall / ideal
 *     (ideal = cases × latency / concurrency; target ≤ 1.10), and the same through the openai
 *     provider against a local OpenAI-compatible HTTP server (target ≤ 1.25);
 *  3. memory: 100,000 cases in a child process → peak RSS (target < 300 MB);
 *  4. `llmops --help` wall time, median of 7 (target < 300 ms).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';

import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { executeEval, prepareEval } from '../../src/eval/orchestrate.js';
import { silentReporter } from '../../src/eval/reporter.js';
import { cliPath, repoRoot } from '../support/cli.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';

const results: Array<{ name: string; value: string; target: string; ok: boolean }> = [];
const record = (name: string, value: string, target: string, ok: boolean) => {
  results.push({ name, value, target, ok });
  process.stdout.write(`${ok ? 'ok  ' : 'MISS'} ${name}: ${value} (target ${target})\n`);
};

async function timedEval(dir: string, suiteDir: string, model: string, concurrency: number): Promise<{ seconds: number; results: number }> {
  const cfg = loadConfig(join(dir, 'llmops.yaml'));
  const prep = await prepareEval({ loaded: cfg, dbPath: join(dir, `${model}-${Date.now()}.db`), suites: [suiteDir], models: [model], concurrency, repeat: 1, selection: {}, noCache: true });
  const t0 = performance.now();
  const outcomes = await executeEval(prep, silentReporter);
  const seconds = (performance.now() - t0) / 1000;
  const n = prep.store.countResults(outcomes[0]!.runId).total;
  prep.store.db.close();
  return { seconds, results: n };
}

/**
 * A minimal OpenAI-compatible server answering after a fixed delay (streamed, as the provider
 * asks), in its own process: a real upstream does not share the eval's event loop.
 */
const UPSTREAM = `
const http = require('node:http');
const delay = Number(process.argv[1]);
const chunk = (o) => 'data: ' + JSON.stringify(o) + '\\n\\n';
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => setTimeout(() => {
    const id = 'chatcmpl-bench';
    if (!JSON.parse(body).stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id, object: 'chat.completion', created: 0, model: 'bench', choices: [{ index: 0, message: { role: 'assistant', content: '42' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(chunk({ id, object: 'chat.completion.chunk', created: 0, model: 'bench', choices: [{ index: 0, delta: { role: 'assistant', content: '42' }, finish_reason: null }] }));
    res.write(chunk({ id, object: 'chat.completion.chunk', created: 0, model: 'bench', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 } }));
    res.end('data: [DONE]\\n\\n');
  }, delay));
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

async function startSlowOpenAI(delayMs: number): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', UPSTREAM, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: async () => {
      child.kill();
      await once(child, 'exit');
    },
  };
}

async function main(): Promise<void> {
  // 1. Pure overhead.
  {
    const { dir, suiteDir } = await writeArithmeticSuite(10_000);
    writeConfig(dir, '  instant:\n    provider: sim\n    model: simulated-instant\n    sim: { accuracy: 0.9, latencyMs: { p50: 0, p95: 0 } }');
    await timedEval(dir, suiteDir, 'instant', 64); // warm-up (JIT, page cache)
    const r = await timedEval(dir, suiteDir, 'instant', 64);
    const rate = r.results / r.seconds;
    record('overhead: 10,000 cases, zero-latency sim, SQLite', `${Math.round(rate)} cases/s (${r.seconds.toFixed(2)} s)`, '≥ 5,000 cases/s', rate >= 5000);
  }
  // 2. Latency-bound, simulated and through the openai provider over HTTP.
  {
    const { dir, suiteDir } = await writeArithmeticSuite(2_000);
    const upstream = await startSlowOpenAI(100);
    writeConfig(dir, [
      '  fixed100:', '    provider: sim', '    model: simulated-100ms', '    sim: { accuracy: 0.9, latencyMs: { p50: 100, p95: 100 } }',
      '  http100:', '    provider: openai', '    model: bench', `    baseURL: ${upstream.url}`, '    apiKeyEnv: LLMOPS_BENCH_KEY',
    ].join('\n'));
    process.env.LLMOPS_BENCH_KEY = 'bench-key';
    const ideal = (2000 * 0.1) / 100;
    const sim = await timedEval(dir, suiteDir, 'fixed100', 100);
    record('latency-bound sim: 2,000 × 100 ms at -j 100, wall / ideal', `${(sim.seconds / ideal).toFixed(3)}x (${sim.seconds.toFixed(2)} s vs ${ideal.toFixed(2)} s)`, '≤ 1.10x', sim.seconds / ideal <= 1.1);
    await timedEval(dir, suiteDir, 'http100', 100); // warm-up: the SDK's code paths JIT-compile on first use
    const viaHttp = await timedEval(dir, suiteDir, 'http100', 100);
    record('latency-bound openai provider over local HTTP, wall / ideal', `${(viaHttp.seconds / ideal).toFixed(3)}x (${viaHttp.seconds.toFixed(2)} s)`, '≤ 1.25x', viaHttp.seconds / ideal <= 1.25);
    await upstream.close();
  }
  // 3. Memory at 100,000 cases, measured in a child process running the real CLI.
  {
    const { dir, suiteDir } = await writeArithmeticSuite(100_000);
    const cfg = writeConfig(dir, '  instant:\n    provider: sim\n    model: simulated-instant\n    sim: { accuracy: 0.9, latencyMs: { p50: 0, p95: 0 } }');
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cliPath, '--db', join(dir, 'big.db'), '--config', cfg, '--json', 'eval', suiteDir, '-m', 'instant', '-j', '64'], {
      encoding: 'utf8', env: { ...process.env, CI: '1' }, maxBuffer: 64 << 20,
    });
    const lines = r.stderr.trim().split('\n');
    const kb = Number(lines[lines.length - 1]);
    const ok = r.status === 0 && kb > 0 && kb < 300 * 1024;
    record('peak RSS, 100,000 cases through the CLI', `${(kb / 1024).toFixed(0)} MB${r.status === 0 ? '' : ` (exit ${r.status}: ${r.stderr.slice(0, 300)})`}`, '< 300 MB', ok);
  }
  // 4. Start-up: llmops --help.
  {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, [cliPath, '--help'], { cwd: repoRoot });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[3]!;
    const bare = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      bare.push(performance.now() - t0);
    }
    bare.sort((a, b) => a - b);
    record('llmops --help, median of 7', `${median.toFixed(0)} ms (bare node start ${bare[2]!.toFixed(0)} ms)`, '< 300 ms', median < 300);
  }
  const missed = results.filter((r) => !r.ok).length;
  process.stdout.write(`eval benchmarks: ${results.length - missed} met, ${missed} missed\n`);
  process.exit(missed ? 1 : 0);
}

await main();
