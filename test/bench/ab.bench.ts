/**
 * A/B experiment benchmark.
 * 1. Request-path cost: the engine's listener on the gateway event bus (sticky-assignment map,
 *    tallies, latency reservoir) against an empty listener, over 300,000 request events from
 *    100,000 users, measured in the same run. Target: < 2 µs added per request (median of 15 batches).
 * 2. One decision (`decide`) at the worst case: full 4,000-value latency reservoirs per arm (the
 *    Mann–Whitney sort) and every default guardrail. It runs on every tick (5 s) and status call.
 *    Target: p99 < 20 ms.
 * 3. One persistence tick in SQLite (WAL, file on disk): the record JSON plus 10,000 new
 *    assignments in one transaction. Target: < 100 ms.
 * Exits 1 when a target is missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decide } from '../../src/experiment/decide.js';
import { ExperimentEngine } from '../../src/experiment/engine.js';
import { experimentMigrations, MemoryExperimentStore, SqliteExperimentStore, type Assignment } from '../../src/experiment/store.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { GatewayEvents, type RequestCompletedEvent } from '../../src/gateway/events.js';
import { DeploymentRegistry } from '../../src/gateway/registry.js';
import { MemoryGatewayStateStore } from '../../src/gateway/state-store.js';
import { createRng, percentile, sortedCopy } from '../../src/stats/index.js';
import { openDatabase } from '../../src/store/open.js';

let failed = false;
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? 'ok  ' : 'MISS'} ${what}`);
  if (!ok) failed = true;
};

const config = parseGatewayConfig({
  upstreams: { small: { type: 'sim', model: 's' }, large: { type: 'sim', model: 'l' } },
  deployments: { chat: { variants: { baseline: { upstream: 'small', weight: 100 } } } },
});

// 1. Request path.
{
  const rng = createRng('ab-bench');
  const N = 300_000;
  const evs: RequestCompletedEvent[] = Array.from({ length: N }, (_, i) => ({
    requestId: `r${i}`, time: i, deployment: 'chat', variant: i % 2 ? 'B' : 'baseline', upstream: 'small', tenant: 't', userHash: `u${rng.int(100_000)}`,
    status: 200, outcome: 'ok', latencyMs: 50 + rng.next() * 500, ttftMs: null, inputTokens: 10, outputTokens: 20, costUsd: 0.001, cached: false, stream: false, messages: [], responseText: '',
  }));
  const timeBatches = (bus: GatewayEvents): number[] => {
    const perEvent: number[] = [];
    const batch = N / 15;
    for (let b = 0; b < 15; b++) {
      const t0 = process.hrtime.bigint();
      for (let i = b * batch; i < (b + 1) * batch; i++) bus.emit('request', evs[i]!);
      perEvent.push(Number(process.hrtime.bigint() - t0) / batch);
    }
    return perEvent;
  };
  const bare = new GatewayEvents();
  let sink = 0;
  bare.on('request', (e) => (sink += e.latencyMs));
  timeBatches(bare); // warm-up
  const bareNs = percentile(sortedCopy(timeBatches(bare)), 0.5);

  const bus = new GatewayEvents();
  bus.on('request', (e) => (sink += e.latencyMs));
  const registry = new DeploymentRegistry(config, new MemoryGatewayStateStore(), bus);
  const engine = new ExperimentEngine({ registry, events: bus, store: new MemoryExperimentStore(), upstreamExists: () => true, random: () => rng.next() });
  engine.start('chat', { variants: { A: 'small', B: 'large' } }, 'bench');
  timeBatches(bus); // warm-up (fills the assignment map and the reservoirs: the steady state)
  const engineNs = percentile(sortedCopy(timeBatches(bus)), 0.5);
  const added = (engineNs - bareNs) / 1000;
  console.log(`request path: bare listener ${bareNs.toFixed(0)} ns/event, with the experiment engine ${engineNs.toFixed(0)} ns/event → +${added.toFixed(2)} µs (${(engineNs / bareNs).toFixed(1)}×); users tracked ${100_000}, sink ${sink > 0}`);
  check(added < 2, `engine adds ${added.toFixed(2)} µs per request (target < 2 µs)`);

  // 2. Decision at the worst case (reservoirs full).
  const record = engine.latest('chat')!;
  console.log(`  reservoirs: A ${record.tallies.A.latencySample.length}, B ${record.tallies.B.latencySample.length} latencies; guardrails ${record.spec.guardrails.map((g) => g.metric).join(', ')}`);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = process.hrtime.bigint();
    decide(record, Date.now());
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const sorted = sortedCopy(times);
  console.log(`decide: p50 ${percentile(sorted, 0.5).toFixed(2)} ms, p99 ${percentile(sorted, 0.99).toFixed(2)} ms over 200 calls`);
  check(percentile(sorted, 0.99) < 20, `decide p99 ${percentile(sorted, 0.99).toFixed(2)} ms (target < 20 ms)`);

  // 3. Persistence tick.
  const dir = mkdtempSync(join(tmpdir(), 'llmops-ab-bench-'));
  try {
    const db = openDatabase(join(dir, 'ab.db'), { migrations: [{ component: 'experiment', steps: experimentMigrations }] });
    const store = new SqliteExperimentStore(db);
    store.save(record, []);
    const saves: number[] = [];
    for (let round = 0; round < 5; round++) {
      const fresh: Assignment[] = Array.from({ length: 10_000 }, (_, i) => ({ userHash: `r${round}-u${i}`, arm: i % 2 ? 'B' : 'A', firstSeen: i }));
      const t0 = process.hrtime.bigint();
      store.save(record, fresh);
      saves.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    db.close();
    const worst = Math.max(...saves);
    console.log(`persistence tick (record ${(JSON.stringify(record).length / 1024).toFixed(0)} KiB + 10,000 assignments): ${saves.map((s) => s.toFixed(1)).join(', ')} ms`);
    check(worst < 100, `worst tick ${worst.toFixed(1)} ms (target < 100 ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exit(failed ? 1 : 0);
