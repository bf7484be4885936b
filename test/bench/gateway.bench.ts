/**
 * Gateway overhead (`npx tsx test/bench/gateway.bench.ts`), each figure against a direct call
 * to the same local upstream, measured in the same run:
 *  1. added latency at a fixed 1,000 requests/s (open loop): p50 < 0.5 ms and p99 < 2 ms over direct;
 *  2. saturation throughput (closed loop, 64 in flight) through the gateway with a 95/5 canary
 *     split on: ≥ 50% of direct;
 *  3. streaming time to first byte through the gateway within 1 ms of direct (median).
 * Three processes so no two of them share an event loop: a minimal OpenAI-compatible upstream
 * (node:http, its own child), the gateway (its own child, metrics on, SQLite request log on),
 * and the load generator (this process, an undici Pool). The machine has 2 cores, so at
 * saturation the three processes compete for them: the direct run has one process less to feed.
 * A bare node:http + undici proxy (no gateway features) runs beside them as the floor: what any
 * Node proxy costs on this machine, measured in the same run.
 * Only 127.0.0.1 traffic; about 45 s in all. Profiling: GATEWAY_BENCH_NODE_ARGS="--cpu-prof …"
 * passes flags to the gateway process; GWB_CHILD_LOG=<file> keeps its stdout (e.g. --trace-gc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { importBuilt } from '../support/built.js';

const role = process.argv.find((a) => a.startsWith('--role='))?.slice(7) ?? 'main';

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 1, model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'The answer is 42.', refusal: null }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
});
const chunk = (delta: Record<string, unknown>, finish: string | null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** A minimal, fast OpenAI-compatible upstream: JSON, or SSE with the first chunk at once. */
function runUpstream(): void {
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const stream = Buffer.concat(parts).includes('"stream":true');
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(COMPLETION) });
        res.end(COMPLETION);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(chunk({ role: 'assistant', content: 'The' }, null));
      // The rest a little later, like a model generating.
      setTimeout(() => {
        res.write(chunk({ content: ' answer is 42.' }, null));
        res.write(chunk({}, 'stop'));
        res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices: [], usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 } })}\n\n`);
        res.end('data: [DONE]\n\n');
      }, 2);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`READY http://127.0.0.1:${(server.address() as { port: number }).port}\n`));
}

async function runGateway(upstreamUrl: string): Promise<void> {
  // The built modules, as `llmops gateway start` runs them (`npm run bench` builds first).
  const { parseGatewayConfig } = await importBuilt<typeof import('../../src/gateway/config.js')>('gateway/config.js');
  const { startGateway } = await importBuilt<typeof import('../../src/gateway/server.js')>('gateway/server.js');
  const { openDatabase } = await importBuilt<typeof import('../../src/store/open.js')>('store/open.js');
  const { gatewayMigrations } = await importBuilt<typeof import('../../src/gateway/state-store.js')>('gateway/state-store.js');
  const dir = mkdtempSync(join(tmpdir(), 'llmops-gwbench-'));
  const db = openDatabase(join(dir, 'gw.db'), { migrations: [{ component: 'gateway', steps: gatewayMigrations }] });
  const up = { type: 'openai', baseURL: `${upstreamUrl}/v1`, model: 'bench-model', price: { input: 0.15, output: 0.6 }, connections: 256 };
  const config = parseGatewayConfig({
    upstreams: { stable: up, canary: up },
    deployments: { chat: { variants: { baseline: { upstream: 'stable', weight: 95 }, candidate: { upstream: 'canary', weight: 5 } } } },
  });
  const gw = await startGateway({ config, db, host: '127.0.0.1', port: 0, env: {} });
  process.stdout.write(`READY ${gw.url}\n`);
  process.once('SIGTERM', () => {
    void gw.shutdown(1000).then(() => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

/**
 * The floor: a bare node:http + undici proxy with none of the gateway's features (no auth, split,
 * retries, breaker, metrics or log). Same hops as the gateway, so it shows what any Node proxy
 * costs on this machine.
 */
async function runBareProxy(upstreamUrl: string): Promise<void> {
  const pool = new Pool(upstreamUrl, { connections: 256 });
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>;
      void pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, model: 'bench-model' }) })
        .then(async (up) => {
          res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type']) });
          for await (const chunk of up.body) res.write(chunk);
          res.end();
        });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`READY http://127.0.0.1:${(server.address() as { port: number }).port}\n`));
}

function startChild(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const nodeArgs = args[0] === '--role=gateway' && process.env.GATEWAY_BENCH_NODE_ARGS ? process.env.GATEWAY_BENCH_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const log = process.env.GWB_CHILD_LOG && args[0] === '--role=gateway' ? createWriteStream(process.env.GWB_CHILD_LOG) : undefined;
    child.stdout!.on('data', (d: Buffer) => {
      log?.write(d);
      if (out.includes('READY')) return;
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) {
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`child ${args.join(' ')} exited ${code}`)));
  });
}

const BODY = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'What is six times seven?' }], temperature: 0.7 });
const STREAM_BODY = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'What is six times seven?' }], stream: true });

interface Target {
  name: string;
  pool: Pool;
  path: string;
}

let users = 0;
async function once(t: Target, body = BODY): Promise<number> {
  const t0 = performance.now();
  const res = await t.pool.request({ path: t.path, method: 'POST', headers: { 'content-type': 'application/json', 'x-llmops-user': `user-${users++}` }, body });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${t.name}: status ${res.statusCode}`);
  return performance.now() - t0;
}

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/** Open loop: requests start on a fixed schedule whatever the latency (no coordinated omission). */
async function fixedRate(t: Target, rps: number, seconds: number): Promise<number[]> {
  const n = rps * seconds;
  const lat: number[] = [];
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  let sent = 0;
  while (sent < n) {
    const due = Math.min(n, Math.floor(((performance.now() - start) / 1000) * rps) + 1);
    while (sent < due) {
      sent++;
      pending.push(once(t).then((ms) => void lat.push(ms)));
    }
    // Sleep to the next millisecond tick rather than spin: a spinning generator would steal a core.
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  return lat.sort((a, b) => a - b);
}

async function saturate(t: Target, concurrency: number, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      await once(t);
      done++;
    }
  }));
  return done / seconds;
}

async function ttfb(t: Target): Promise<number> {
  const t0 = performance.now();
  const res = await t.pool.request({ path: t.path, method: 'POST', headers: { 'content-type': 'application/json', 'x-llmops-user': `user-${users++}` }, body: STREAM_BODY });
  let first = -1;
  for await (const _ of res.body) if (first < 0) first = performance.now() - t0;
  return first;
}

/** CPU time (user + system, ms) a child process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ = 100
  } catch {
    return NaN;
  }
}

let missed = 0;
const report = (name: string, value: string, target: string, ok: boolean) => {
  if (!ok) missed++;
  process.stdout.write(`${ok ? 'ok  ' : 'MISS'} ${name}: ${value} (target ${target})\n`);
};
const f = (ms: number) => `${ms.toFixed(3)} ms`;

async function main(): Promise<void> {
  const upstream = await startChild(['--role=upstream']);
  const gateway = await startChild(['--role=gateway', `--upstream=${upstream.url}`]);
  const bare = await startChild(['--role=bare-proxy', `--upstream=${upstream.url}`]);
  const direct: Target = { name: 'direct', pool: new Pool(upstream.url, { connections: 128 }), path: '/v1/chat/completions' };
  const viaGw: Target = { name: 'gateway', pool: new Pool(gateway.url, { connections: 128 }), path: '/v1/chat/completions' };
  const viaBare: Target = { name: 'bare proxy', pool: new Pool(bare.url, { connections: 128 }), path: '/v1/chat/completions' };
  try {
    // Warm-up: JIT, connection pools on both hops.
    for (const t of [direct, viaGw, viaBare]) await Promise.all(Array.from({ length: 2000 }, () => once(t)));

    // 1. Added latency at a fixed 1,000 req/s, two interleaved rounds of 4 s each.
    const d: number[] = [];
    const g: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < 2; round++) {
      d.push(...(await fixedRate(direct, 1000, 4)));
      g.push(...(await fixedRate(viaGw, 1000, 4)));
      b.push(...(await fixedRate(viaBare, 1000, 4)));
    }
    for (const x of [d, g, b]) x.sort((p, q) => p - q);
    const added50 = pct(g, 0.5) - pct(d, 0.5);
    const added99 = pct(g, 0.99) - pct(d, 0.99);
    process.stdout.write(`     at 1,000 req/s: direct p50 ${f(pct(d, 0.5))} p99 ${f(pct(d, 0.99))}; gateway p50 ${f(pct(g, 0.5))} p99 ${f(pct(g, 0.99))}; bare proxy p50 ${f(pct(b, 0.5))} p99 ${f(pct(b, 0.99))} (${g.length} requests each)\n`);
    process.stdout.write(`     floor (bare node:http + undici proxy): added p50 ${f(pct(b, 0.5) - pct(d, 0.5))}, p99 ${f(pct(b, 0.99) - pct(d, 0.99))}\n`);
    report('added latency p50 at 1,000 req/s', f(added50), '< 0.5 ms', added50 < 0.5);
    report('added latency p99 at 1,000 req/s', f(added99), '< 2 ms', added99 < 2);

    // 2. Saturation throughput, 95/5 split on.
    // Interleaved 1 s rounds, so background load on a shared machine hits all alike.
    let directDone = 0;
    let gwDone = 0;
    let bareDone = 0;
    let gwCpu = 0;
    let bareCpu = 0;
    let upCpuDirect = 0;
    for (let round = 0; round < 4; round++) {
      const u0 = cpuMs(upstream.child.pid);
      directDone += await saturate(direct, 64, 1);
      upCpuDirect += cpuMs(upstream.child.pid) - u0;
      const g0 = cpuMs(gateway.child.pid);
      gwDone += await saturate(viaGw, 64, 1);
      gwCpu += cpuMs(gateway.child.pid) - g0;
      const b0 = cpuMs(bare.child.pid);
      bareDone += await saturate(viaBare, 64, 1);
      bareCpu += cpuMs(bare.child.pid) - b0;
    }
    process.stdout.write(`     CPU per request: gateway ${((gwCpu / gwDone) * 1000).toFixed(0)} µs, bare proxy ${((bareCpu / bareDone) * 1000).toFixed(0)} µs, upstream ${((upCpuDirect / directDone) * 1000).toFixed(0)} µs (a proxy is both an HTTP server and an HTTP client)\n`);
    const directRps = directDone / 4;
    const gwRps = gwDone / 4;
    const bareRps = bareDone / 4;
    process.stdout.write(`     floor: the bare proxy saturates at ${Math.round(bareRps).toLocaleString('en')} req/s = ${((bareRps / directRps) * 100).toFixed(0)}% of direct; the gateway reaches ${((gwRps / bareRps) * 100).toFixed(0)}% of the bare proxy\n`);
    report('saturation throughput, 95/5 split', `${Math.round(gwRps).toLocaleString('en')} req/s through the gateway vs ${Math.round(directRps).toLocaleString('en')} direct = ${((gwRps / directRps) * 100).toFixed(0)}%`, '≥ 50% of direct', gwRps >= 0.5 * directRps);

    // 3. Streaming time to first byte, interleaved, sequential.
    const sd: number[] = [];
    const sg: number[] = [];
    const sb: number[] = [];
    for (let i = 0; i < 50; i++) { await ttfb(direct); await ttfb(viaGw); await ttfb(viaBare); }
    for (let i = 0; i < 500; i++) {
      sd.push(await ttfb(direct));
      sg.push(await ttfb(viaGw));
      sb.push(await ttfb(viaBare));
    }
    for (const x of [sd, sg, sb]) x.sort((p, q) => p - q);
    const ttfbAdded = pct(sg, 0.5) - pct(sd, 0.5);
    process.stdout.write(`     floor: bare proxy time to first byte +${f(pct(sb, 0.5) - pct(sd, 0.5))} over direct (median)\n`);
    report('streaming time to first byte', `${f(pct(sg, 0.5))} through the gateway vs ${f(pct(sd, 0.5))} direct (median; +${f(ttfbAdded)}; p95 ${f(pct(sg, 0.95))} vs ${f(pct(sd, 0.95))})`, 'within 1 ms of direct', ttfbAdded < 1);
  } finally {
    await direct.pool.close();
    await viaGw.pool.close();
    await viaBare.pool.close();
    gateway.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    upstream.child.kill('SIGTERM');
    await new Promise((r) => gateway.child.once('exit', r));
  }
  process.stdout.write(missed === 0 ? 'gateway benchmark: all targets met\n' : `gateway benchmark: ${missed} target(s) missed\n`);
  process.exitCode = missed === 0 ? 0 : 1;
}

if (role === 'upstream') runUpstream();
else if (role === 'bare-proxy') await runBareProxy(process.argv.find((a) => a.startsWith('--upstream='))!.slice(11));
else if (role === 'gateway') await runGateway(process.argv.find((a) => a.startsWith('--upstream='))!.slice(11));
else await main();
