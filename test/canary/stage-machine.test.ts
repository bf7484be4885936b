import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/canary/plan.js';
import { abort, advance, blockingReason, pause, promote, resume, rollback, startCanary, type AdvanceChecks } from '../../src/canary/stage-machine.js';
import { candidateWeight, mirrorsTraffic, stageElapsedMs, stageLabel, stageRemainingMs, type CanaryState } from '../../src/canary/state.js';

const PASS: AdvanceChecks = { enoughSamples: true, withinLimits: true, nonInferior: true };
const SIG = 50;
const base = { deployment: 'chat', baseline: 'old', candidate: 'new' };

function started(plan = '5:10s,25:20s,50:30s,100:60s', at = 1000): CanaryState {
  return startCanary({ ...base, plan: parsePlan(plan) }, at).state;
}

describe('canary stage machine', () => {
  it('starts at the first stage, or in shadow (mirror only, 0% live) when planned', () => {
    const t = startCanary({ ...base, plan: parsePlan('5:10s,100') }, 1000);
    expect(t.state.phase).toBe('stage');
    expect(candidateWeight(t.state)).toBe(5);
    expect(mirrorsTraffic(t.state)).toBe(false);
    expect(t.event).toMatchObject({ kind: 'started', atMs: 1000, message: 'canary of new started at 5%' });
    const s = startCanary({ ...base, plan: parsePlan('shadow:5s,5:10s,100') }, 0).state;
    expect([s.phase, candidateWeight(s), mirrorsTraffic(s), stageLabel(s)]).toEqual(['shadow', 0, true, 'shadow']);
  });

  it('does not advance before the stage duration, then advances when checks pass', () => {
    const s = started();
    expect(advance(s, 1000 + 9_999, PASS, SIG).event).toBeUndefined();
    const t = advance(s, 1000 + 10_000, PASS, SIG);
    expect(candidateWeight(t.state)).toBe(25);
    expect(t.state.stageStartedAtMs).toBe(11_000);
    expect(t.event).toMatchObject({ kind: 'advanced', message: 'advanced from 5% to 25%' });
  });

  it('walks shadow → every stage → completed with the baseline kept warm', () => {
    let s = startCanary({ ...base, plan: parsePlan('shadow:1s,5:1s,25:1s,50:1s,100:7s') }, 0).state;
    const seen = [stageLabel(s)];
    for (let now = 1000; now <= 4000; now += 1000) {
      s = advance(s, now, PASS, SIG).state;
      seen.push(stageLabel(s));
    }
    expect(seen).toEqual(['shadow', '5%', '25%', '50%', '100% (promoted)']);
    expect(s).toMatchObject({ phase: 'completed', endedAtMs: 4000, warmUntilMs: 11_000 });
    expect(candidateWeight(s)).toBe(100);
    expect(advance(s, 99_000, PASS, SIG).event).toBeUndefined();
  });

  it('holds a stage whose time is up until there are enough samples and metrics are within limits', () => {
    const s = started();
    const later = 1000 + 60_000;
    for (const checks of [{ ...PASS, enoughSamples: false }, { ...PASS, withinLimits: false }]) {
      const t = advance(s, later, checks, SIG);
      expect(t.state).toBe(s);
      expect(blockingReason(s, checks, SIG)).toBeDefined();
    }
    // Below the significance stage non-inferiority is not needed.
    expect(candidateWeight(advance(s, later, { ...PASS, nonInferior: false }, SIG).state)).toBe(25);
  });

  it('needs significant non-inferiority to leave the 50% stage', () => {
    let s = started('5:1s,50:1s,100');
    s = advance(s, 2000, { ...PASS, nonInferior: false }, SIG).state;
    expect(candidateWeight(s)).toBe(50);
    const held = advance(s, 9000, { ...PASS, nonInferior: false }, SIG);
    expect(held.state).toBe(s);
    expect(blockingReason(s, { ...PASS, nonInferior: false }, SIG)).toBe('non-inferiority not yet significant');
    expect(advance(s, 9000, PASS, SIG).state.phase).toBe('completed');
    // With the threshold moved to 60%, the 50% stage no longer needs it.
    expect(advance(s, 9000, { ...PASS, nonInferior: false }, 60).state.phase).toBe('completed');
  });

  it('does not count paused time towards the stage duration', () => {
    let s = started('5:10s,100', 0);
    s = pause(s, 4000).state;
    expect(s.paused).toBe(true);
    expect(stageElapsedMs(s, 100_000)).toBe(4000);
    expect(advance(s, 100_000, PASS, SIG).state).toBe(s);
    s = resume(s, 100_000).state;
    expect(s.pausedTotalMs).toBe(96_000);
    expect(stageRemainingMs(s, 100_000)).toBe(6000);
    expect(advance(s, 105_999, PASS, SIG).event).toBeUndefined();
    expect(advance(s, 106_000, PASS, SIG).state.phase).toBe('completed');
  });

  it('ignores repeated pause/resume and resume without pause', () => {
    const s = started();
    expect(resume(s, 5).event).toBeUndefined();
    const p = pause(s, 5).state;
    expect(pause(p, 6).event).toBeUndefined();
    expect(resume(p, 7).event).toMatchObject({ kind: 'resumed' });
  });

  it('abort and rollback send all traffic to the baseline and are final', () => {
    const s = started();
    const a = abort(s, 5000, 'ops said so');
    expect(a.state).toMatchObject({ phase: 'aborted', endedAtMs: 5000, reason: 'ops said so' });
    expect(candidateWeight(a.state)).toBe(0);
    expect(a.event?.message).toBe('aborted at 5%: ops said so');
    const r = rollback(s, 6000, 'error_rate breached');
    expect(r.state.phase).toBe('rolled_back');
    expect(candidateWeight(r.state)).toBe(0);
    for (const end of [a.state, r.state]) {
      expect(advance(end, 1e9, PASS, SIG).event).toBeUndefined();
      expect(pause(end, 1e9).event).toBeUndefined();
      expect(abort(end, 1e9).event).toBeUndefined();
      expect(rollback(end, 1e9, 'x').event).toBeUndefined();
      expect(promote(end, 1e9).event).toBeUndefined();
    }
  });

  it('a paused canary can still be rolled back, and rollback clears the pause', () => {
    const s = pause(started(), 2000).state;
    const r = rollback(s, 3000, 'p95');
    expect(r.state).toMatchObject({ phase: 'rolled_back', paused: false, pausedAtMs: null });
  });

  it('a completed canary is over: no rollback through it, even while the old baseline is warm (the deployment\'s rollback does that)', () => {
    const done = promote(started('5:10s,100:60s', 0), 1000);
    expect(done.state).toMatchObject({ phase: 'completed', warmUntilMs: 61_000 });
    expect(done.event?.message).toContain('by operator from 5%');
    expect(rollback(done.state, 2000, 'late').event).toBeUndefined();
    expect(abort(done.state, 2000).event).toBeUndefined();
  });
});
