/**
 * Human-review sampling benchmark (issue 9). A week of busy traffic is hundreds of thousands of
 * logged responses; `llmops review sample` must read them in one streaming pass. Measured in
 * this run, in a child process each so peak RSS belongs to that step alone:
 *  1. throughput: sample 100 from a 300,000-line JSONL export, against a baseline that only
 *     reads the same file line by line and JSON.parses each line → ratio (target ≤ 3.0×:
 *     validation, hashing and the stratified pools may cost at most twice the parsing itself);
 *  2. memory: peak RSS of that sampling process (target < 250 MB, with a ~90 MB file — the file is
 *     never held whole);
 *  3. the same from the gateway's SQLite request log (300,000 rows) → lines/s, ratio to JSONL.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const N = 300_000;
const self = fileURLToPath(import.meta.url);

interface ChildResult { seconds: number; items: number; rssMb: number }

async function child(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
  let items = 0;
  if (mode === 'parse') {
    const { readLines } = await import('../../src/review/sources/read-lines.js');
    for (const { text } of readLines(file)) if (text) { JSON.parse(text); items++; }
  } else {
    const { openReviewSource } = await import('../../src/review/sources/index.js');
    const { stratifiedSample } = await import('../../src/review/sample.js');
    const source = await openReviewSource(file);
    items = stratifiedSample(source.responses({}), 100, 'bench').items.length;
    source.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ seconds, items, rssMb: process.resourceUsage().maxRSS / 1024 }));
}

function runChild(mode: string, file: string): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, 'child', mode, file], { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildResult;
}

function line(i: number, now: number): Record<string, unknown> {
  return {
    request_id: `req-${i.toString(36)}-${(i * 2654435761) % 4294967296}`,
    time: new Date(now - i * 2000).toISOString(),
    deployment: i % 3 === 0 ? 'billing' : 'support',
    variant: i % 20 === 0 ? 'canary' : 'stable',
    tenant: `t${i % 50}`,
    user_hash: (i * 40503).toString(16),
    messages: [{ role: 'system', content: 'You are a support assistant.' }, { role: 'user', content: `How do I reset the PIN on card ${i}?` }],
    response: `Open the app, choose Card ${i}, then Settings, then Reset PIN.`,
    latency_ms: 100 + (i % 900),
    input_tokens: 30,
    output_tokens: 15,
    cost_usd: 0.00002,
    status: i % 100 === 0 ? 'error' : 'ok',
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'llmops-review-bench-'));
  const now = Date.now();
  try {
    const file = join(dir, 'log.jsonl');
    const out = createWriteStream(file);
    for (let i = 0; i < N; i++) if (!out.write(`${JSON.stringify(line(i, now))}\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');

    const { openDatabase } = await import('../../src/store/index.js');
    const dbFile = join(dir, 'gateway.db');
    const db = openDatabase(dbFile);
    db.exec(`CREATE TABLE request_log (request_id TEXT PRIMARY KEY, time TEXT NOT NULL, deployment TEXT NOT NULL, variant TEXT NOT NULL,
      tenant TEXT, user_hash TEXT, status INTEGER, outcome TEXT, request_messages TEXT, response_text TEXT, context TEXT,
      latency_ms REAL, input_tokens INTEGER, output_tokens INTEGER, cost_usd REAL)`);
    const ins = db.prepare('INSERT INTO request_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const l = line(i, now);
        ins.run(l.request_id, String(now - i * 2000), l.deployment, l.variant, l.tenant, l.user_hash, l.status === 'ok' ? 200 : 502, l.status === 'ok' ? 'ok' : 'error', JSON.stringify(l.messages), l.response, l.latency_ms, l.input_tokens, l.output_tokens, l.cost_usd);
      }
    })();
    db.close();

    const mb = statSync(file).size / 2 ** 20;
    const parse = runChild('parse', file);
    const sample = runChild('sample', file);
    const gateway = runChild('sample', dbFile);
    const ratio = sample.seconds / parse.seconds;
    const rows: Array<[string, string, string, boolean]> = [
      ['read + JSON.parse only', `${(N / parse.seconds).toFixed(0)} lines/s (${mb.toFixed(0)} MB file)`, 'baseline', true],
      ['sample 100 from JSONL', `${(N / sample.seconds).toFixed(0)} lines/s, ${ratio.toFixed(2)}× the parse-only time`, '≤ 3.0×', ratio <= 3.0 && sample.items === 100],
      ['peak RSS while sampling JSONL', `${sample.rssMb.toFixed(0)} MB`, '< 250 MB', sample.rssMb < 250],
      ['sample 100 from the gateway SQLite log', `${(N / gateway.seconds).toFixed(0)} rows/s, ${(gateway.seconds / sample.seconds).toFixed(2)}× the JSONL time, peak RSS ${gateway.rssMb.toFixed(0)} MB`, '< 250 MB', gateway.rssMb < 250 && gateway.items === 100],
    ];
    for (const [name, value, target, ok] of rows) process.stdout.write(`${ok ? 'ok  ' : 'MISS'} ${name}: ${value} (target ${target})\n`);
    process.exitCode = rows.every((r) => r[3]) ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child(process.argv[3]!, process.argv[4]!);
else await main();
