import { describe, expect, it } from 'vitest';
import { CanaryController } from '../../src/canary/controller.js';
import { InProcessWindows } from '../../src/canary/in-process-windows.js';
import { MemoryCanaryStore, MemoryTrafficControl } from '../../src/canary/memory-traffic.js';
import type { Variant } from '../../src/canary/metric-source.js';
import { parsePlan } from '../../src/canary/plan.js';
import { defaultPolicy } from '../../src/canary/policy.js';
import { ConflictError } from '../../src/errors.js';
import { HEALTHY, TrafficSim, type Behaviour } from './traffic-sim.js';

const D = 'chat';
const policy = defaultPolicy({ windowsMs: [10_000, 30_000], intervalMs: 5000 });

function rig(store = new MemoryCanaryStore(), startMs = 0, p = policy) {
  const clock = { now: startMs };
  const windows = new InProcessWindows(Math.max(...p.windowsMs));
  const traffic = new MemoryTrafficControl({ [D]: 'old' });
  const controller = new CanaryController({ traffic, metrics: windows, store, policy: p, now: () => clock.now });
  const sim = new TrafficSim(windows, D, 100);
  /** Runs simulated seconds, evaluating every 5 s, until `untilMs` or the canary ends. */
  async function run(untilMs: number, behaviour: (v: Variant, atMs: number) => Behaviour = () => HEALTHY) {
    while (clock.now < untilMs) {
      clock.now += 1000;
      const weight = controller.status(D).candidateWeight;
      sim.second(clock.now, controller.status(D).mirror ? 50 : weight, behaviour);
      if (clock.now % 5000 === 0) await controller.tick();
      const phase = controller.status(D).phase;
      if (phase === 'rolled_back' || phase === 'aborted' || phase === 'completed') return;
    }
  }
  return { clock, windows, traffic, controller, run, store };
}

const degraded = (patch: Partial<Behaviour>, fromMs: number) => (v: Variant, atMs: number): Behaviour =>
  v === 'candidate' && atMs >= fromMs ? { ...HEALTHY, ...patch } : HEALTHY;

describe('canary controller over simulated live traffic', () => {
  it('a healthy candidate walks shadow → 5% → 25% → 50% → 100% and is promoted', async () => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('shadow:20s,5:20s,25:20s,50:30s,100:1m') });
    expect(r.traffic.mirrors.get(D)).toBe('new');
    await r.run(600_000);
    const st = r.controller.status(D);
    expect(st.phase).toBe('completed');
    expect(st.warmUntil).toBe(st.endedAt! + 60_000);
    expect(r.traffic.weights.get(D)).toEqual({ old: 0, new: 100 });
    expect(r.traffic.events.map((e) => e.message)).toEqual([
      'canary of new started at shadow',
      'advanced from shadow to 5%',
      'advanced from 5% to 25%',
      'advanced from 25% to 50%',
      'promoted new to 100%; old kept warm',
    ]);
    // Each stage lasted at least its planned duration.
    const times = r.traffic.events.map((e) => e.atMs);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(20_000);
    expect(times[4]! - times[3]!).toBeGreaterThanOrEqual(30_000);
  });

  const cases: Array<[string, Partial<Behaviour>, string]> = [
    ['error rate', { errorRate: 0.12 }, 'error_rate'],
    ['P95 latency', { latencyMs: 500 }, 'p95_latency'],
    ['quality', { quality: 0.55 }, 'quality'],
    ['hallucination', { hallucinationRate: 0.2 }, 'hallucination_rate'],
  ];
  it.each(cases)('rolls back a candidate whose %s degrades, naming the trigger with its evidence', async (_name, patch, metric) => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('5:20s,25:20s,50:10m,100') });
    await r.run(600_000, degraded(patch, 45_000));
    const st = r.controller.status(D);
    expect(st.phase).toBe('rolled_back');
    expect(st.reason).toMatch(new RegExp(`^${metric} `));
    expect(r.traffic.weights.get(D)).toEqual({ old: 100 }); // the rolled-back candidate left the deployment
    const ev = r.traffic.events.at(-1)!;
    expect(ev.kind).toBe('rolled_back');
    expect(ev.evidence![0]).toMatchObject({ metric, status: 'breach' });
    expect(ev.evidence![0]!.pValue).toBeLessThan(policy.alpha);
    // Caught within a minute of the degradation starting.
    expect(ev.atMs - 45_000).toBeLessThanOrEqual(60_000);
  });

  it('an error-rate rollback comes from the sequential test at once, with its statistic, threshold, counts and rates', async () => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('25:1h,100') });
    await r.run(600_000, degraded({ errorRate: 0.1 }, 120_000));
    const st = r.controller.status(D);
    expect(st.phase).toBe('rolled_back');
    expect(st.reason).toMatch(/^error_rate \d+\.\d% \(\d+\/\d+\) vs baseline \d\.\d% \(limit \d\.\d%\) over \d+s, sequential log-LR \d+\.\d ≥ 14\.4$/);
    const t = r.traffic.events.at(-1)!.evidence![0]!;
    expect(t).toMatchObject({ metric: 'error_rate', status: 'breach' });
    expect(t.test).toMatch(/^Shiryaev–Roberts/);
    expect(t.statistic).toBeGreaterThanOrEqual(t.threshold!);
    expect(t.errorsCandidate! / t.nCandidate).toBeCloseTo(t.candidate, 12);
    expect(t.candidate).toBeGreaterThan(t.limit);
    expect(t.baseline).toBeLessThan(0.02);
    expect(t.pValue).toBeLessThan(policy.alpha);
    // No second look: the 25% stage sees 25 candidate requests/s, enough to decide within 30 s.
    expect(r.traffic.events.at(-1)!.atMs - 120_000).toBeLessThanOrEqual(30_000);
  });

  // The default windows (30 s, 5 min): the slower they follow the baseline, the more this matters.
  it.each([0.3, 1])('errors that hit both variants alike (%s of requests, a shared upstream outage) do not roll the candidate back; the candidate failing alone afterwards still does', async (errorRate) => {
    const r = rig(undefined, 0, defaultPolicy());
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('50:1h,100') });
    const outage = (from: number, to: number) => (_v: Variant, atMs: number): Behaviour => (atMs >= from && atMs < to ? { ...HEALTHY, errorRate } : HEALTHY);
    await r.run(240_000, outage(120_000, 240_000));
    expect(r.controller.status(D)).toMatchObject({ phase: 'stage', candidateWeight: 50 });
    await r.run(300_000);
    // One event when the surge starts and one once it has passed, nothing in between.
    const notes = r.traffic.events.filter((e) => e.kind.startsWith('baseline_'));
    expect(notes.map((e) => e.kind)).toEqual(['baseline_surge', 'baseline_recovered']);
    expect(notes[0]!.atMs).toBeGreaterThan(120_000);
    expect(notes[0]!.atMs).toBeLessThanOrEqual(130_000);
    expect(notes[0]!.message).toMatch(/^baseline errors surged: \d+\/\d+ in the last 5s, against \d+\.\d% over 30s; the error trigger compares the candidate with the surge \(up to \d+\.\d%\) while it lasts$/);
    expect(notes[1]!.atMs).toBeGreaterThanOrEqual(240_000 + 30_000);
    expect(notes[1]!.message).toMatch(/^baseline errors back to \d\.\d% over 30s; the error trigger compares with the windows again$/);
    await r.run(600_000, degraded({ errorRate: 0.3 }, 300_000));
    expect(r.controller.status(D).phase).toBe('rolled_back');
    expect(r.traffic.events.at(-1)!.atMs - 300_000).toBeLessThanOrEqual(30_000);
    expect(r.traffic.events.at(-1)!.message).toMatch(/^rolled back from 50%: error_rate /);
  });

  it('reports a baseline surge in the error test it ran', async () => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('50:1h,100') });
    await r.run(120_000);
    // One evaluation into an outage of both variants: no window has moved enough yet.
    await r.run(125_000, () => ({ ...HEALTHY, errorRate: 0.3 }));
    const e = r.controller.status(D).evidence.find((x) => x.metric === 'error_rate' && x.test.startsWith('Shiryaev'))!;
    expect(e.test).toMatch(/\(upper bound: the baseline surged, \d+\/\d+ errors in the interval\)/);
    expect(e.baseline).toBeGreaterThan(0.2);
    expect(e.status).toBe('ok');
  });

  it('keeps the error test\'s evidence across a restart (saved with the canary state)', async () => {
    const store = new MemoryCanaryStore();
    const a = rig(store);
    a.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('25:1h,100') });
    await a.run(60_000);
    const saved = store.loadAll()[0]!.errorTest!;
    expect(saved.updates).toBe(12);
    expect(saved.readToMs).toBe(60_000);
    const b = rig(store, a.clock.now);
    await b.run(65_000);
    const after = store.loadAll()[0]!.errorTest!;
    expect(after.updates).toBe(13);
    expect(after.readToMs).toBe(65_000);
    expect(b.controller.status(D).evidence.at(-1)).toMatchObject({ metric: 'error_rate', updates: 13 });
  });

  it('resumes after a restart in the same stage with the elapsed time kept', async () => {
    const store = new MemoryCanaryStore();
    const a = rig(store);
    a.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('5:20s,25:60s,50:20s,100') });
    await a.run(40_000);
    expect(a.controller.status(D).stage).toBe('25%');
    const elapsed = a.controller.status(D).stageElapsedMs;
    expect(elapsed).toBeGreaterThan(0);
    // A new process: new controller, new traffic control, empty windows, same store and clock.
    const b = rig(store, a.clock.now);
    const st = b.controller.status(D);
    expect([st.stage, st.stageElapsedMs]).toEqual(['25%', elapsed]);
    expect(b.traffic.weights.get(D)).toEqual({ old: 75, new: 25 });
    await b.run(400_000);
    expect(b.controller.status(D).phase).toBe('completed');
  });

  it('pause holds the stage (and its clock), resume continues, abort returns traffic', async () => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('5:20s,100') });
    await r.run(10_000);
    r.controller.pause(D);
    await r.run(100_000);
    const paused = r.controller.status(D);
    expect([paused.stage, paused.paused, paused.stageElapsedMs]).toEqual(['5%', true, 10_000]);
    r.controller.resume(D);
    expect(r.controller.status(D).paused).toBe(false);
    r.controller.abort(D, 'change freeze');
    expect(r.controller.status(D)).toMatchObject({ phase: 'aborted', reason: 'change freeze', candidateWeight: 0 });
    expect(r.traffic.weights.get(D)).toEqual({ old: 100 });
    expect(r.traffic.events.map((e) => e.kind)).toEqual(['started', 'paused', 'resumed', 'aborted']);
  });

  it('refuses a second canary on the same deployment and unknown deployments', () => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('5:20s,100') });
    expect(() => r.controller.start({ deployment: D, candidate: 'x', plan: parsePlan('100') })).toThrow(/already has a canary/);
    expect(() => r.controller.status('nope')).toThrow(/no canary on deployment nope/);
  });

  it('holds a stage whose time is up until there are enough samples', async () => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('5:5s,100') });
    r.clock.now = 10_000;
    await r.controller.tick();
    expect(r.controller.status(D)).toMatchObject({ stage: '5%', blockedBy: 'waiting for enough samples' });
  });
});

describe('changes made outside the canary', () => {
  const outside = (kind: 'promote' | 'rollback' | 'weights', atMs: number) => ({ deployment: D, kind, actor: 'cli:alice', atMs, reason: 'ops' });

  it.each([
    ['promote', { old: 0, new: 100 }, 'new', 'ended by promote by cli:alice: ops'],
    ['rollback', { old: 100, new: 0 }, undefined, 'ended by rollback by cli:alice: ops'],
    ['weights', { old: 60, new: 40 }, undefined, 'ended by weight change by cli:alice: ops'],
  ] as const)('an outside %s ends the canary (aborted, reason and actor recorded) and the controller leaves traffic alone from then on', async (kind, after, baseline, reason) => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('5:10s,50:10s,100') });
    await r.run(5_000);
    r.traffic.outside(outside(kind, r.clock.now), { ...after }, baseline);
    const st = r.controller.status(D);
    expect(st).toMatchObject({ phase: 'aborted', reason, traffic: after });
    expect(r.traffic.events.at(-1)).toMatchObject({ kind: 'aborted', actor: 'cli:alice', message: `aborted at 5%: ${reason}` });
    // Time passes: no stage advances and nothing is written over what the operator set.
    r.clock.now += 120_000;
    await r.controller.tick();
    expect(r.traffic.weights.get(D)).toEqual(after);
    expect(r.controller.status(D).phase).toBe('aborted');
    expect(() => r.controller.abort(D)).toThrow(ConflictError);
    expect(r.traffic.weights.get(D)).toEqual(after);
  });

  it('a change the canary already ended on, or of an unrelated 0% variant, is ignored', () => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('5:10s,100') });
    r.traffic.outside({ deployment: D, kind: 'variant', actor: 'admin-api', atMs: 1, variant: 'spare' });
    expect(r.controller.status(D).phase).toBe('stage');
    r.traffic.outside({ deployment: D, kind: 'variant', actor: 'admin-api', atMs: 2, variant: 'new' });
    expect(r.controller.status(D)).toMatchObject({ phase: 'aborted', reason: 'ended by change of variant new by admin-api' });
    r.traffic.outside(outside('rollback', 3));
    expect(r.traffic.events.filter((e) => e.kind === 'aborted')).toHaveLength(1);
  });

  it('a restarted controller ends a canary whose deployment no longer matches it, without touching traffic', () => {
    const store = new MemoryCanaryStore();
    const a = rig(store);
    a.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('25:1h,100') });
    // The next process finds another baseline (the deployment was changed while the canary state was stale).
    const traffic = new MemoryTrafficControl({ [D]: 'other' });
    traffic.weights.set(D, { other: 100 });
    const b = new CanaryController({ traffic, metrics: new InProcessWindows(60_000), store, policy, now: () => 1000 });
    expect(b.status(D)).toMatchObject({ phase: 'aborted', reason: 'ended at restart: the baseline of chat is now other, not old' });
    expect(traffic.weights.get(D)).toEqual({ other: 100 });
    expect(store.loadAll()[0]!.phase).toBe('aborted');
  });
});

describe('actions on a finished canary', () => {
  it.each(['completed', 'rolled back', 'aborted'] as const)('are refused as conflicts once it %s; status still answers', async (how) => {
    const r = rig();
    r.controller.start({ deployment: D, candidate: 'new', plan: parsePlan('5:10s,100') });
    r.clock.now = 7_000;
    if (how === 'completed') r.controller.promote(D);
    else if (how === 'rolled back') r.controller.rollback(D, 'bad');
    else r.controller.abort(D);
    const events = r.traffic.events.length;
    const weights = { ...r.traffic.weights.get(D) };
    const label = how === 'completed' ? '100% \\(promoted\\)' : how;
    for (const act of [() => r.controller.pause(D), () => r.controller.resume(D), () => r.controller.abort(D), () => r.controller.promote(D), () => r.controller.rollback(D)]) {
      expect(act).toThrow(ConflictError);
      expect(act).toThrow(new RegExp(`^the canary on chat already ended \\(${label} at 1970-01-01T00:00:07.000Z\\); start a new one$`));
    }
    expect(r.traffic.events).toHaveLength(events);
    expect(r.traffic.weights.get(D)).toEqual(weights);
    expect(r.controller.status(D).phase).toBe(how === 'completed' ? 'completed' : how === 'rolled back' ? 'rolled_back' : 'aborted');
  });
});
