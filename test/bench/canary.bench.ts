/**
 * Canary benchmark.
 * 1. Detection: at 50 requests/s, from the moment the candidate's error rate jumps from 1% to
 *    10%, the controller (default policy: 5 s interval, sequential error test at alpha = 0.01
 *    over 24 h) must roll back within 30 s. Run in simulated time (the controller's clock is
 *    injected) over 40 seeds at each stage weight, so the worst case is measured, not one lucky
 *    run. The ten healthy minutes before each jump are the first false-alarm check.
 *    A shared outage (both variants failing alike for two minutes) must roll nothing back.
 *    CANARY_BENCH_VERBOSE=1 prints the reason of every rollback.
 * 2. False rollbacks over long healthy runs, next to the bound the sequential test guarantees:
 *    24 simulated hours per seed at 5/25/50%, candidate and baseline both at 1%; the same data
 *    through the windowed z-test with two confirmations (the previous error trigger) for
 *    comparison; a loose setting (1 h horizon, alpha 0.5) with a candidate exactly on the limit
 *    (baseline + margin), where false rollbacks are frequent enough to compare with the bound;
 *    and a candidate at +1 point, inside the 2-point margin, which must not be rolled back.
 *    The error test alone, fed with per-evaluation counts drawn request by request (the full
 *    controller costs ~5 ms per evaluation, too slow for thousands of simulated days).
 * 3. Online-eval overhead on the request path: p99 of `OnlineEvaluator.offer` (the only
 *    work the gateway's request listener does for online evaluation) against an empty
 *    listener, measured in the same run; target < 0.2 ms added at p99.
 * Exits 1 when a target is missed.
 */
import { CanaryController } from '../../src/canary/controller.js';
import { InProcessWindows } from '../../src/canary/in-process-windows.js';
import { MemoryCanaryStore, MemoryTrafficControl } from '../../src/canary/memory-traffic.js';
import { parsePlan } from '../../src/canary/plan.js';
import { defaultPolicy, type CanaryPolicy } from '../../src/canary/policy.js';
import { baselineErrorRate, newSequentialErrorState, sequentialLogThreshold, updateSequentialErrorTest } from '../../src/canary/sequential-error-test.js';
import { evaluateTriggers, type WindowPair } from '../../src/canary/triggers.js';
import type { Variant, WindowSnapshot } from '../../src/canary/metric-source.js';
import { OnlineEvaluator } from '../../src/online-eval/online-evaluator.js';
import type { OnlineJudge } from '../../src/online-eval/types.js';
import { createRng, gammaP, percentile, sortedCopy, type Rng } from '../../src/stats/index.js';
import { HEALTHY, TrafficSim, type Behaviour } from '../canary/traffic-sim.js';

type BehaviourAt = (v: Variant, atMs: number) => Behaviour;

/**
 * Seconds from `fromMs` to the controller's rollback, -1 for a rollback before it, Infinity for
 * none by `untilMs`: ten healthy minutes first (the windows are full), then `behaviour`.
 */
async function rollbackSeconds(weight: number, seed: number, behaviour: BehaviourAt, fromMs: number, untilMs: number): Promise<number> {
  const policy = defaultPolicy();
  const clock = { now: 0 };
  const windows = new InProcessWindows(Math.max(...policy.windowsMs));
  const traffic = new MemoryTrafficControl({ chat: 'old' });
  const controller = new CanaryController({ traffic, metrics: windows, store: new MemoryCanaryStore(), policy, now: () => clock.now });
  controller.start({ deployment: 'chat', candidate: 'new', plan: parsePlan(`${weight}:24h,100`) });
  const sim = new TrafficSim(windows, 'chat', 50, seed);
  while (clock.now < untilMs) {
    clock.now += 1000;
    sim.second(clock.now, weight, behaviour);
    if (clock.now % policy.intervalMs === 0) await controller.tick();
    const st = controller.status('chat');
    if (st.phase === 'rolled_back') {
      if (clock.now < fromMs) {
        console.log(`    rollback before ${fromMs / 1000} s (stage ${weight}%, seed ${seed}) at ${clock.now / 1000} s: ${st.reason}`);
        return -1;
      }
      if (process.env.CANARY_BENCH_VERBOSE) console.log(`    rolled back at ${clock.now / 1000} s: ${st.reason}`);
      return (clock.now - fromMs) / 1000;
    }
  }
  return Infinity;
}

/** From the jump of the candidate's error rate to 10%, at a random phase of the 5 s timer. */
function detectionSeconds(weight: number, seed: number): Promise<number> {
  const jumpAt = 600_000 + (seed % 5) * 1000;
  return rollbackSeconds(weight, seed, (v, at) => (v === 'candidate' && at > jumpAt ? { ...HEALTHY, errorRate: 0.1 } : HEALTHY), jumpAt, jumpAt + 300_000);
}

/**
 * The best any rollback rule could do at a stage's traffic, to read the measured times against.
 * A rule deciding by 30 s after the jump has seen at most the candidate's errors of those 30 s
 * (Poisson, 50 req/s × weight × 30 s × rate), and for error counts the best rule is a threshold:
 * roll back at c or more errors. Take the largest c that still catches the jump in 39 of 40 runs;
 * the same rule, on disjoint 30 s windows of a candidate that is not worse, rolls back with
 * probability P(≥ c) each, so at least once every 30 s / P(≥ c) on average.
 */
function detectionFloor(weight: number): { c: number; healthyEveryS: number; limitEveryS: number } {
  const errorsIn30s = (rate: number) => 50 * (weight / 100) * 30 * rate;
  const atLeast = (c: number, mean: number) => (c <= 0 ? 1 : gammaP(c, mean)); // P(Poisson(mean) ≥ c)
  let c = 1;
  while (atLeast(c + 1, errorsIn30s(0.1)) >= 39 / 40) c++;
  return { c, healthyEveryS: 30 / atLeast(c, errorsIn30s(0.01)), limitEveryS: 30 / atLeast(c, errorsIn30s(0.03)) };
}

/** "at least once every …" for a mean time between false rollbacks, or no conflict past a year. */
function falseRollbacks(seconds: number): string {
  if (seconds >= 86_400 * 365) return 'less than once a year (no conflict)';
  const span = seconds < 3600 ? `${(seconds / 60).toFixed(0)} min` : seconds < 86_400 ? `${(seconds / 3600).toFixed(1)} h` : `${(seconds / 86_400).toFixed(1)} days`;
  return `at least once every ${span}`;
}

let failed = false;
console.log('detection: 50 req/s, candidate error rate 1% → 10%, default policy (interval 5 s), 40 runs per stage');
for (const weight of [5, 25, 50]) {
  const times: number[] = [];
  for (let seed = 1; seed <= 40; seed++) times.push(await detectionSeconds(weight, seed));
  const falses = times.filter((t) => t < 0).length;
  const ok = times.filter((t) => t >= 0);
  const worst = Math.max(...ok);
  const median = percentile(sortedCopy(ok), 0.5);
  const within = (s: number) => ok.filter((t) => t <= s).length;
  const pass = worst <= 30 && falses === 0;
  failed ||= !pass;
  console.log(`  stage ${String(weight).padStart(2)}%: median ${median.toFixed(0)} s, worst ${Number.isFinite(worst) ? `${worst} s` : '> 300 s'}; ` +
    `within 30 s ${within(30)}/40, within 5 min (the design's allowance) ${within(300)}/40; false rollbacks ${falses}  target ≤ 30 s → ${pass ? 'ok' : 'MISSED'}`);
  const f = detectionFloor(weight);
  console.log(`    floor: any rule that catches this jump within 30 s in 39 of 40 runs (≥ ${f.c} errors in 30 s) rolls back a healthy candidate (1%) ` +
    `${falseRollbacks(f.healthyEveryS)}, one on the limit (3%) ${falseRollbacks(f.limitEveryS)}`);
}

// A shared outage: both variants fail alike for two minutes. Not the candidate's fault, so no
// rollback during it or in the five minutes after, while the windows still hold it.
console.log('shared outage: both variants at 1% → X% errors for 2 min, then 1% again; 40 runs per stage, watched until 5 min after');
for (const rate of [0.1, 0.3, 1]) {
  const line: string[] = [];
  for (const weight of [5, 25, 50]) {
    let rolled = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const from = 600_000 + (seed % 5) * 1000;
      const t = await rollbackSeconds(weight, seed, (_v, at) => (at > from && at <= from + 120_000 ? { ...HEALTHY, errorRate: rate } : HEALTHY), from, from + 420_000);
      if (t !== Infinity) rolled++;
    }
    failed ||= rolled > 0;
    line.push(`${weight}%: ${rolled}/40 rolled back`);
  }
  console.log(`  X = ${String(rate * 100).padStart(3)}%: ${line.join(' · ')}  target 0 → ${line.every((l) => l.includes(' 0/')) ? 'ok' : 'MISSED'}`);
}

// 2. False rollbacks of a healthy candidate over long runs.
interface LongRun {
  /** Hours to the first rollback of each detector, or Infinity. */
  sequential: number;
  window: number;
}

function snapshotOf(variant: 'baseline' | 'candidate', windowMs: number, requests: number, errors: number): WindowSnapshot {
  return {
    variant, windowMs, requests, errors, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, quality: { n: 0, mean: NaN, variance: 0 },
    hallucination: { n: 0, count: 0 }, thumbs: { n: 0, up: 0 }, costUsd: 0, ratePerSec: requests / (windowMs / 1000),
  };
}

/**
 * One simulated run at 50 req/s: each request goes to the candidate with probability weight %
 * and fails with its variant's rate. Every 5 s both detectors see the same counts; the windowed
 * one (optional) through evaluateTriggers' error-rate z-test with `confirmations` looks.
 */
function longRun(policy: CanaryPolicy, weight: number, pCandidate: number, hours: number, rng: Rng, withWindow: boolean): LongRun {
  const ticksPerWindow = policy.windowsMs.map((w) => w / policy.intervalMs);
  const perTick = (50 * policy.intervalMs) / 1000;
  const ring: Array<[number, number, number, number]> = []; // per tick: baseline n, x, candidate n, x
  const sums = policy.windowsMs.map(() => [0, 0, 0, 0]); // running sums per window
  let state = newSequentialErrorState(0);
  const out: LongRun = { sequential: Infinity, window: withWindow ? Infinity : NaN };
  let held = 0;
  const ticks = (hours * 3_600_000) / policy.intervalMs;
  for (let t = 1; t <= ticks && (out.sequential === Infinity || out.window === Infinity); t++) {
    let bn = 0, bx = 0, cn = 0, cx = 0;
    for (let i = 0; i < perTick; i++) {
      if (rng.next() * 100 < weight) {
        cn++;
        if (rng.next() < pCandidate) cx++;
      } else {
        bn++;
        if (rng.next() < 0.01) bx++;
      }
    }
    const tick: [number, number, number, number] = [bn, bx, cn, cx];
    ring.push(tick);
    sums.forEach((sum, k) => {
      const leaving = ring.length > ticksPerWindow[k]! ? ring[ring.length - 1 - ticksPerWindow[k]!]! : undefined;
      for (let j = 0; j < 4; j++) sum[j]! += tick[j]! - (leaving?.[j] ?? 0);
    });
    if (ring.length > 2 * Math.max(...ticksPerWindow)) ring.splice(0, ring.length - Math.max(...ticksPerWindow) - 1);
    const pairs: WindowPair[] = policy.windowsMs.map((windowMs, k) => {
      const [a, b, c, d] = sums[k]!;
      return { windowMs, baseline: snapshotOf('baseline', windowMs, a!, b!), candidate: snapshotOf('candidate', windowMs, c!, d!), candidateAboveLatencyLimit: 0 };
    });
    const nowMs = t * policy.intervalMs;
    if (out.sequential === Infinity) {
      const u = updateSequentialErrorTest(state, { nowMs, candidate: { requests: cn, errors: cx }, baseline: baselineErrorRate(pairs) }, policy);
      state = u.state;
      if (u.evidence.status === 'breach') out.sequential = nowMs / 3_600_000;
    }
    if (withWindow && out.window === Infinity) {
      const e = evaluateTriggers(pairs, policy).evidence.filter((x) => x.metric === 'error_rate');
      held = e.some((x) => x.status === 'breach') ? held + 1 : 0;
      if (held >= policy.confirmations) out.window = nowMs / 3_600_000;
    }
  }
  return out;
}

const policy = defaultPolicy();
const logA = sequentialLogThreshold(policy);
const bound = (hours: number, p: CanaryPolicy) => Math.min(1, (hours * 3_600_000) / p.intervalMs / Math.exp(sequentialLogThreshold(p)));
const SEEDS = 40;
console.log(`false rollbacks: healthy candidate (1%, as the baseline), 24 h per run, ${SEEDS} runs per stage; sequential test log A = ${logA.toFixed(2)}`);
for (const weight of [5, 25, 50]) {
  const runs: LongRun[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) runs.push(longRun(policy, weight, 0.01, 24, createRng(`healthy-${weight}-${seed}`), true));
  const seq = runs.filter((r) => r.sequential < Infinity).length;
  const win = runs.filter((r) => r.window < Infinity).length;
  const pass = seq === 0;
  failed ||= !pass;
  console.log(`  stage ${String(weight).padStart(2)}%: sequential ${seq}/${SEEDS} runs rolled back (bound ≤ ${(bound(24, policy) * 100).toFixed(1)}% of runs) · ` +
    `windowed z-test + 2 confirmations ${win}/${SEEDS}${win ? `, first after median ${percentile(sortedCopy(runs.filter((r) => r.window < Infinity).map((r) => r.window)), 0.5).toFixed(1)} h` : ''}`);
}

const loose = defaultPolicy({ sequentialHorizonMs: 3_600_000, alpha: 0.5 });
const LOOSE_RUNS = 400;
console.log(`  loose setting (horizon 1 h, alpha 0.5, log A = ${sequentialLogThreshold(loose).toFixed(2)}), candidate at 3% = on the limit (baseline + 2 points), ${LOOSE_RUNS} one-hour runs per stage:`);
for (const weight of [5, 25, 50]) {
  let rolled = 0;
  for (let seed = 1; seed <= LOOSE_RUNS; seed++) if (longRun(loose, weight, 0.03, 1, createRng(`loose-${weight}-${seed}`), false).sequential < Infinity) rolled++;
  const share = rolled / LOOSE_RUNS;
  const pass = share <= bound(1, loose);
  failed ||= !pass;
  console.log(`    stage ${String(weight).padStart(2)}%: ${(share * 100).toFixed(1)}% of runs rolled back within 1 h (bound ≤ ${(bound(1, loose) * 100).toFixed(0)}%) → ${pass ? 'ok' : 'BOUND VIOLATED'}`);
}

console.log(`  candidate at 2% (+1 point, inside the 2-point margin: not a regression, must not be rolled back), 24 h per run, ${SEEDS} runs per stage:`);
for (const weight of [5, 25, 50]) {
  const hours: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) hours.push(longRun(policy, weight, 0.02, 24, createRng(`plus1-${weight}-${seed}`), false).sequential);
  const rolled = hours.filter((h) => h < Infinity);
  failed ||= rolled.length > 0;
  const median = percentile(sortedCopy(hours), 0.5);
  console.log(`    stage ${String(weight).padStart(2)}%: ${rolled.length}/${SEEDS} rolled back within 24 h, median time ${Number.isFinite(median) ? `${median.toFixed(1)} h` : '> 24 h'}`);
}

// 3. Overhead of the online-eval path on the request path.
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
