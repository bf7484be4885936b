/**
 * Gate benchmark (issue 3): gating two STORED runs of 10,000 cases each — reading both from
 * SQLite, per-case extraction, the fused bootstrap with 10,000 resamples over every metric, Holm,
 * flips, and storing the decision — must take under 2 s. Also prints the bootstrap alone and its
 * cost per resample·case, measured in the same run.
 *
 * The target applies to the wall time of `gateStoredRuns` — what `llmops gate` waits for. The
 * bootstrap runs on every core (see src/gate/resample-parallel.ts), so the CPU time, printed too,
 * is higher than the wall time. The modules are the built ones in dist/, as the CLI runs them
 * (`npm run bench` builds first).
 */
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { ResultRecord } from '../../src/store/types.js';
import { importBuilt } from '../support/built.js';

const { evaluateGate, extractCaseTable, resolveGatePolicy } = await importBuilt<typeof import('../../src/gate/index.js')>('gate/index.js');
const { gateStoredRuns, loadGateSide } = await importBuilt<typeof import('../../src/gate/service.js')>('gate/service.js');
const { createRng } = await importBuilt<typeof import('../../src/stats/index.js')>('stats/index.js');
const { openStore } = await importBuilt<typeof import('../../src/store/index.js')>('store/index.js');
const N = 10_000;
const RESAMPLES = 10_000;
const TARGET_S = 2;

const dir = mkdtempSync(join(tmpdir(), 'llmops-gate-bench-'));
let failed = false;
try {
  const store = openStore(join(dir, 'bench.db'));
  const rng = createRng('bench');
  for (const [id, accuracy] of [['base', 0.95], ['cand', 0.94]] as const) {
    store.createRun({ id, batchId: 'b', suite: 'bench', suiteHash: 'h', model: id, provider: 'sim', synthetic: true, planned: N, params: {} });
    const batch: ResultRecord[] = [];
    const u = createRng(7);
    for (let i = 0; i < N; i++) {
      const pass = u.next() < accuracy;
      batch.push({
        runId: id, caseId: `case-${String(i).padStart(5, '0')}`, repeat: 0, outcome: pass ? 'pass' : rng.next() < 0.02 ? 'error' : 'fail',
        output: 'x', errorKind: null, errorMessage: null, latencyMs: 100 + 900 * rng.next() ** 3, ttftMs: 20 + 100 * rng.next(),
        inputTokens: 50, outputTokens: 20, costUsd: 0.0001 + 0.0001 * rng.next(), attempts: 1, cached: false, tags: [],
        scores: [{ name: 'llm-judge', value: rng.next(), pass: null }, { name: 'faithfulness', value: 1, pass: rng.next() > 0.02, meta: { hallucination: rng.next() < 0.02 } }],
      });
    }
    store.writeResults(batch);
    store.setStatus(id, 'completed');
  }
  const policy = resolveGatePolicy({ resamples: RESAMPLES });
  const cand = store.getRun('cand');
  const base = store.getRun('base');

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { verdict } = gateStoredRuns(store, cand, base, policy);
  const cpuUsed = process.cpuUsage(cpu0);
  const total = (performance.now() - t0) / 1000;
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;

  const t1 = performance.now();
  const c = loadGateSide(store, cand, policy);
  const b = loadGateSide(store, base, policy);
  const load = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  evaluateGate({ candidate: c, baseline: b, policy, threads: availableParallelism() });
  const evaluate = (performance.now() - t2) / 1000;
  const compared = verdict.metrics.filter((m) => m.comparison).length;
  const nsPerResampleCase = (evaluate * 1e9) / (RESAMPLES * N);
  // A direct, unfused reference in the same run: one bootstrap of one mean (the minimum work per metric).
  const t3 = performance.now();
  const pass = extractCaseTable([]).columns.pass; // warm the module path
  void pass;
  const d = c.table.columns.pass;
  const r = createRng(1);
  let sink = 0;
  for (let k = 0; k < RESAMPLES; k++) { let s = 0; for (let i = 0; i < N; i++) { const x = d[r.int(N)]!; s += x === x ? x : 0; } sink += s; }
  const single = (performance.now() - t3) / 1000;

  const ok = total < TARGET_S;
  failed = !ok;
  process.stdout.write(`${ok ? 'ok  ' : 'MISS'} gate two stored runs of ${N} cases, ${RESAMPLES} resamples, ${compared} compared metrics: wall ${total.toFixed(2)} s (target < ${TARGET_S} s; ${(total / TARGET_S * 100).toFixed(0)}% of budget), CPU ${cpu.toFixed(2)} s on ${availableParallelism()} cores (load average ${loadavg()[0]!.toFixed(1)})\n`);
  process.stdout.write(`     of which read+extract both runs ${load.toFixed(2)} s, evaluate ${evaluate.toFixed(2)} s (${nsPerResampleCase.toFixed(2)} ns per resample·case for all metrics)\n`);
  process.stdout.write(`     reference: one plain bootstrap of one mean ${single.toFixed(2)} s → fused all-metrics bootstrap costs ${(evaluate / single).toFixed(1)}× one metric (verdict ${verdict.verdict}, ${sink > 0 ? 'checksum ok' : ''})\n`);
  store.db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
