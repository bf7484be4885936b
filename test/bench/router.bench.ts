/**
 * Router benchmarks (issue 7):
 *  1. classification latency per request (feature extraction + model + decision) over real
 *     traffic-like text (Banking77, GSM8K) and generated long requests → p50/p99
 *     (target p99 < 0.2 ms; the budget is 50 ms), and the ratio to a bare
 *     `text.length` read measured the same way (timer overhead floor);
 *  2. training on 100,000 generated pairs (features + fit) → seconds (target < 30 s).
 */
import { join } from 'node:path';
import { decideRoute } from '../../src/router/decide.js';
import { fromQuery } from '../../src/router/features.js';
import { generatePairs } from '../../src/router/generate.js';
import { loadModel } from '../../src/router/load-model.js';
import { toMatrix } from '../../src/router/matrix.js';
import { toRouteRequest } from '../../src/router/pairs.js';
import { DEFAULT_POLICY } from '../../src/router/policy.js';
import { loadBanking77Queries, loadGsm8kQuestions, sharedDatasetsDir } from '../../src/router/real-traffic.js';
import { trainModel } from '../../src/router/train.js';
import type { RouteRequest } from '../../src/router/types.js';
import { repoRoot } from '../support/cli.js';

let missed = 0;
const record = (name: string, value: string, target: string, ok: boolean) => {
  if (!ok) missed++;
  process.stdout.write(`${ok ? 'ok  ' : 'MISS'} ${name}: ${value} (target ${target})\n`);
};
const quantile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function timeEach(requests: RouteRequest[], rounds: number, fn: (r: RouteRequest) => unknown): Float64Array {
  const times = new Float64Array(requests.length * rounds);
  let k = 0;
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    for (const r of requests) {
      const t0 = performance.now();
      const out = fn(r);
      times[k++] = performance.now() - t0;
      if (out !== undefined) sink++;
    }
  }
  if (sink < 0) process.stdout.write('');
  return times.sort();
}

function main(): void {
  // 1. Classification latency.
  const dir = sharedDatasetsDir(repoRoot);
  const requests: RouteRequest[] = [
    ...loadBanking77Queries(join(dir, 'banking77', 'test.csv')).map((q) => fromQuery(q)),
    ...loadGsm8kQuestions(join(dir, 'gsm8k', 'test.jsonl')).map((q) => fromQuery(q)),
    // Generated requests include long RAG contexts, code blocks and long conversations.
    ...generatePairs(2000, 77).map(toRouteRequest),
  ];
  const model = loadModel();
  const classify = (r: RouteRequest) => decideRoute(r, model, DEFAULT_POLICY);
  timeEach(requests, 3, classify); // warm-up: JIT
  const times = timeEach(requests, 5, classify);
  const floor = timeEach(requests, 5, (r) => r.messages[0]?.content.length);
  const p50 = quantile(times, 0.5), p99 = quantile(times, 0.99), max = times[times.length - 1]!;
  const floorP99 = quantile(floor, 0.99);
  record(
    `classification, ${times.length} decisions over ${requests.length} requests (Banking77, GSM8K, generated)`,
    `p50 ${(p50 * 1000).toFixed(1)} µs, p99 ${(p99 * 1000).toFixed(1)} µs, max ${(max * 1000).toFixed(0)} µs; p99 = ${(p99 / 0.2).toFixed(3)}× the 0.2 ms target, ${(p99 / 50).toFixed(5)}× the issue's 50 ms budget; timer floor p99 ${(floorP99 * 1000).toFixed(1)} µs`,
    'p99 < 0.2 ms',
    p99 < 0.2,
  );

  // 2. Training on 100,000 pairs.
  const g0 = performance.now();
  const pairs = generatePairs(100_000, 1);
  const g1 = performance.now();
  const matrix = toMatrix(pairs);
  const m = trainModel(matrix, { seed: 1 });
  const seconds = (performance.now() - g1) / 1000;
  record(
    'training on 100,000 pairs (feature extraction + 300 full-batch Adam steps + temperature fit)',
    `${seconds.toFixed(1)} s = ${(seconds / 30).toFixed(2)}× the target (generating the pairs took ${((g1 - g0) / 1000).toFixed(1)} s more); train accuracy ${(m.training.trainAccuracy * 100).toFixed(1)}%`,
    '< 30 s',
    seconds < 30,
  );
  process.exit(missed === 0 ? 0 : 1);
}

main();
