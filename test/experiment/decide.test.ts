import { describe, expect, it } from 'vitest';
import { decide } from '../../src/experiment/decide.js';
import { addFeedback, emptyTally } from '../../src/experiment/tally.js';
import { createRng } from '../../src/stats/index.js';
import { compareArms } from '../../src/experiment/compare.js';
import { DAY, record, spec, tallyOf, thumbsTally } from './helpers.js';

const strongA = () => thumbsTally(600, 1200);
const strongB = () => thumbsTally(780, 1200); // 50% → 65%: overwhelming

describe('decide: the horizon withholds every conclusion', () => {
  it('withholds a clear winner before the minimum samples', () => {
    const d = decide(record(spec(), thumbsTally(400, 800), thumbsTally(560, 800)), 8 * DAY);
    expect(d.primary.sequentialP).toBeLessThan(0.001); // the evidence is there…
    expect(d.state).toBe('collecting'); // …but 800 < 1000 per arm
    expect(d.withheld).toBe(true);
    expect(d.winner).toBeUndefined();
    expect(d.reasons[0]).toContain('800 (A) / 800 (B) of the 1000');
  });
  it('withholds before the minimum duration even with the samples', () => {
    const d = decide(record(spec(), strongA(), strongB()), 6 * DAY);
    expect(d.state).toBe('collecting');
    expect(d.reasons.join(' ')).toMatch(/ran 518400 s of the 604800 s/);
  });
  it('counts the samples of the primary metric, not requests', () => {
    const d = decide(record(spec({ primary: 'quality' }), strongA(), strongB()), 8 * DAY);
    expect(d.progress.samples).toEqual({ A: 0, B: 0 });
    expect(d.state).toBe('collecting');
  });
});

describe('decide: conclusions after the horizon', () => {
  it('declares B the winner on a higher-is-better metric', () => {
    const d = decide(record(spec(), strongA(), strongB()), 7 * DAY);
    expect(d).toMatchObject({ state: 'significant', winner: 'B', withheld: false });
  });
  it('declares A the winner when B is worse', () => {
    const d = decide(record(spec(), strongB(), strongA()), 7 * DAY);
    expect(d).toMatchObject({ state: 'significant', winner: 'A' });
  });
  it('on lower-is-better metrics a smaller B wins', () => {
    const lat = (mean: number) => Array.from({ length: 1200 }, (_, i) => mean + ((i % 21) - 10) * 5);
    const s = spec({ primary: 'latency' });
    expect(decide(record(s, tallyOf({ latencies: lat(400) }), tallyOf({ latencies: lat(300) })), 7 * DAY)).toMatchObject({ state: 'significant', winner: 'B' });
    expect(decide(record(s, tallyOf({ latencies: lat(300) }), tallyOf({ latencies: lat(400) })), 7 * DAY)).toMatchObject({ state: 'significant', winner: 'A' });
  });
  it('says not significant when the arms are alike', () => {
    const d = decide(record(spec(), thumbsTally(600, 1200), thumbsTally(606, 1200)), 7 * DAY);
    expect(d.state).toBe('not_significant');
    expect(d.winner).toBeUndefined();
  });
  it('keeps the sequential p-value as a running minimum across looks', () => {
    const first = decide(record(spec(), strongA(), strongB()), 1 * DAY);
    const later = decide(record(spec(), thumbsTally(600, 1200), thumbsTally(606, 1200), { sequentialP: first.sequentialP }), 7 * DAY);
    expect(later.primary.sequentialP).toBe(first.primary.sequentialP);
    expect(later.state).toBe('significant');
  });
  it('reports the fixed-horizon test next to the sequential p-value', () => {
    const d = decide(record(spec(), strongA(), strongB()), 7 * DAY);
    expect(d.primary.test).toBe('z-test');
    expect(d.primary.pValue).toBeLessThan(d.primary.sequentialP); // the always-valid p is the conservative one
  });
});

describe('decide: sample-ratio mismatch', () => {
  it('flags a skewed split and draws no conclusion', () => {
    const A = thumbsTally(600, 1200, { units: 5200 });
    const B = thumbsTally(780, 1200, { units: 4800 });
    const d = decide(record(spec(), A, B), 8 * DAY);
    expect(d.srm.flagged).toBe(true);
    expect(d).toMatchObject({ state: 'srm', withheld: true });
    expect(d.winner).toBeUndefined();
    expect(d.reasons[0]).toContain('sample ratio mismatch: 5200 / 4800 units for a 50/50 split');
  });
  it('accepts a 90/10 split that matches its weights', () => {
    const d = decide(record(spec({ splitB: 10 }), thumbsTally(600, 1200, { units: 9000 }), thumbsTally(780, 1200, { units: 1000 })), 8 * DAY);
    expect(d.srm.flagged).toBe(false);
    expect(d.state).toBe('significant');
  });
});

describe('decide: guardrails stop on significant degradation', () => {
  const guarded = spec({ guardrails: [{ metric: 'error_rate', margin: 0.02 }, { metric: 'latency', margin: 0.5 }] });
  it('stops before the horizon when B errors far more', () => {
    const A = tallyOf({ requests: 400, errors: 4 });
    const B = tallyOf({ requests: 400, errors: 80 });
    const d = decide(record(guarded, A, B), 1000);
    expect(d.state).toBe('guardrail_breach');
    expect(d.reasons[0]).toMatch(/^guardrail error_rate degraded on B: 0.200 vs 0.0100 on A/);
    expect(d.guardrails.find((g) => g.metric === 'error_rate')).toMatchObject({ degraded: true, threshold: 0.02 });
  });
  it('tolerates harm within the margin', () => {
    // +1 point of errors on 20000 requests is significant as a difference, but within the 2-point margin
    const d = decide(record(guarded, tallyOf({ requests: 20_000, errors: 200 }), tallyOf({ requests: 20_000, errors: 400 })), 1000);
    expect(d.guardrails[0]!.degraded).toBe(false);
    expect(d.state).not.toBe('guardrail_breach');
  });
  it('never stops on a guardrail below its minimum samples', () => {
    const d = decide(record(guarded, tallyOf({ requests: 60, errors: 0 }), tallyOf({ requests: 60, errors: 40 })), 1000);
    expect(d.state).toBe('collecting');
  });
  it('does not stop when B is better on the guardrail', () => {
    const d = decide(record(guarded, tallyOf({ requests: 400, errors: 80 }), tallyOf({ requests: 400, errors: 4 })), 1000);
    expect(d.state).toBe('collecting');
  });
  it('a relative margin on a mean guardrail: +50% latency', () => {
    const lat = (mean: number) => Array.from({ length: 297 }, (_, i) => mean + ((i % 11) - 5) * 10);
    const slow = decide(record(guarded, tallyOf({ latencies: lat(200) }), tallyOf({ latencies: lat(400) })), 1000);
    expect(slow.state).toBe('guardrail_breach');
    expect(slow.guardrails[1]!.threshold).toBeCloseTo(100, 6);
    const bitSlower = decide(record(guarded, tallyOf({ latencies: lat(200) }), tallyOf({ latencies: lat(260) })), 1000);
    expect(bitSlower.state).not.toBe('guardrail_breach');
  });
  it('ignores a guardrail that is also the primary metric', () => {
    const s = spec({ primary: 'task_success', guardrails: [{ metric: 'task_success', margin: 0 }] });
    expect(decide(record(s, tallyOf({ requests: 10 }), tallyOf({ requests: 10 })), 0).guardrails).toEqual([]);
  });
});

describe('decide: a stopped experiment', () => {
  it('reports its outcome and freezes the sequential p-values', () => {
    const r = record(spec(), strongA(), strongB(), { status: 'stopped', sequentialP: { thumbs_up: 0.2 }, outcome: { at: 5, kind: 'winner', winner: 'B', reason: 'stopped by admin' } });
    const d = decide(r, 9 * DAY);
    expect(d).toMatchObject({ state: 'stopped', winner: 'B', reasons: ['stopped by admin'] });
    expect(d.primary.sequentialP).toBe(0.2);
  });
});

describe('peeking: A/A experiments looked at after every batch', () => {
  it('keeps false winners near alpha with the always-valid p-value, unlike the naive fixed-horizon p', () => {
    const rng = createRng('aa-peeking');
    const experiments = 300;
    let naive = 0;
    let sequential = 0;
    for (let e = 0; e < experiments; e++) {
      const A = emptyTally();
      const B = emptyTally();
      let seqP: number | undefined;
      let naiveHit = false;
      for (let look = 0; look < 20; look++) {
        for (let i = 0; i < 100; i++) {
          addFeedback(A, rng.next() < 0.5);
          addFeedback(B, rng.next() < 0.5);
        }
        const d = decide(record(spec({ minSamples: 0, minDurationMs: 0 }), A, B, { sequentialP: seqP === undefined ? {} : { thumbs_up: seqP } }), 0);
        seqP = d.primary.sequentialP;
        if (compareArms(A, B, 'thumbs_up', 0.05).pValue < 0.05) naiveHit = true;
      }
      if (naiveHit) naive++;
      if ((seqP ?? 1) < 0.05) sequential++;
    }
    // Peeking 20 times at a fixed-horizon test roughly quadruples the 5% error; the mSPRT stays under it.
    expect(naive / experiments).toBeGreaterThan(0.1);
    expect(sequential / experiments).toBeLessThanOrEqual(0.05);
  });
});
