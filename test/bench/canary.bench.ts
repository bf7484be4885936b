/**
 * Canary benchmark.
 * 1. Detection: at 50 requests/s, from the moment the candidate's error rate jumps from 1% to
 *    10%, the controller (default policy: 5 s interval, 30 s and 300 s windows, α = 0.01) must
 *    roll back within 30 s. Run in simulated time (the controller's clock is injected) over 40
 *    seeds at each stage weight, so the worst case is measured, not one lucky run.
 * 2. Online-eval overhead on the request path: p99 of `OnlineEvaluator.offer` (the only
 *    work the gateway's request listener does for online evaluation) against an empty
 *    listener, measured in the same run; target < 0.2 ms added at p99.
 * Exits 1 when a target is missed.
 */
import { CanaryController } from '../../src/canary/controller.js';
import { InProcessWindows } from '../../src/canary/in-process-windows.js';
import { MemoryCanaryStore, MemoryTrafficControl } from '../../src/canary/memory-traffic.js';
import { parsePlan } from '../../src/canary/plan.js';
import { defaultPolicy } from '../../src/canary/policy.js';
import { OnlineEvaluator } from '../../src/online-eval/online-evaluator.js';
import type { OnlineJudge } from '../../src/online-eval/types.js';
import { percentile, sortedCopy } from '../../src/stats/index.js';
import { HEALTHY, TrafficSim } from '../canary/traffic-sim.js';

async function detectionSeconds(weight: number, seed: number): Promise<number> {
  const policy = defaultPolicy();
  const clock = { now: 0 };
  const windows = new InProcessWindows(Math.max(...policy.windowsMs));
  const traffic = new MemoryTrafficControl({ chat: 'old' });
  const controller = new CanaryController({ traffic, metrics: windows, store: new MemoryCanaryStore(), policy, now: () => clock.now });
  controller.start({ deployment: 'chat', candidate: 'new', plan: parsePlan(`${weight}:24h,100`) });
  const sim = new TrafficSim(windows, 'chat', 50, seed);
  // Ten healthy minutes (the windows are full), then the jump at a random phase of the 5 s timer.
  const jumpAt = 600_000 + (seed % 5) * 1000;
  while (clock.now < jumpAt + 120_000) {
    clock.now += 1000;
    sim.second(clock.now, weight, (v, at) => (v === 'candidate' && at > jumpAt ? { ...HEALTHY, errorRate: 0.1 } : HEALTHY));
    if (clock.now % policy.intervalMs === 0) await controller.tick();
    const st = controller.status('chat');
    if (st.phase === 'rolled_back') {
      if (clock.now < jumpAt) {
        console.log(`    false rollback (stage ${weight}%, seed ${seed}) at ${clock.now / 1000} s: ${st.reason}`);
        return -1;
      }
      return (clock.now - jumpAt) / 1000;
    }
  }
  return Infinity;
}

let failed = false;
console.log('detection: 50 req/s, candidate error rate 1% → 10%, default policy (interval 5 s)');
for (const weight of [5, 25, 50]) {
  const times: number[] = [];
  for (let seed = 1; seed <= 40; seed++) times.push(await detectionSeconds(weight, seed));
  const falses = times.filter((t) => t < 0).length;
  const ok = times.filter((t) => t >= 0);
  const worst = Math.max(...ok);
  const median = percentile(sortedCopy(ok), 0.5);
  const pass = worst <= 30 && falses === 0;
  failed ||= !pass;
  console.log(`  stage ${String(weight).padStart(2)}%: median ${median.toFixed(0)} s, worst ${worst} s of 40 runs, false rollbacks ${falses}  target ≤ 30 s → ${pass ? 'ok' : 'MISSED'}`);
}

// 2. Overhead of the online-eval path on the request path.
const never: OnlineJudge = { judge: () => new Promise(() => {}) }; // the queue fills: worst case, every offer hits the drop path too
const windows = new InProcessWindows(300_000);
const online = await OnlineEvaluator.create({ share: 0.1, queueCapacity: 1000 }, never, windows);
const N = 200_000;
const item = (i: number) => ({ requestId: `req-${i}`, deployment: 'chat', variant: 'candidate' as const, atMs: i, question: 'q', answer: 'a', context: 'c' });
function timeEach(fn: (i: number) => void): Float64Array {
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    out[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return out.sort();
}
const listenerWork = (i: number) => windows.recordRequest({ deployment: 'chat', variant: 'candidate', atMs: i, ok: true, latencyMs: 100, costUsd: 0 });
timeEach(listenerWork); // warm-up
const base = timeEach(listenerWork);
const withOnline = timeEach((i) => {
  listenerWork(i);
  online.offer(item(i));
});
const p99Base = percentile(base, 0.99);
const p99Online = percentile(withOnline, 0.99);
const added = p99Online - p99Base;
const pass2 = added < 0.2;
failed ||= !pass2;
console.log(`online eval on the request path (${N} requests, share 10%, queue full): p99 ${p99Online.toFixed(4)} ms vs ${p99Base.toFixed(4)} ms without → +${added.toFixed(4)} ms (target < 0.2 ms) → ${pass2 ? 'ok' : 'MISSED'}`);
console.log(`  p50 ${percentile(withOnline, 0.5).toFixed(4)} ms, max ${withOnline[N - 1]!.toFixed(3)} ms; dropped ${online.stats().dropped}`);
process.exitCode = failed ? 1 : 0;
