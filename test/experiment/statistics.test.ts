import { describe, expect, it } from 'vitest';
import { compareArms } from '../../src/experiment/compare.js';
import { sequentialLook } from '../../src/experiment/sequential.js';
import { sampleRatioCheck } from '../../src/experiment/srm.js';
import { addRequest, emptyTally, LATENCY_SAMPLE_CAP, momentsVariance } from '../../src/experiment/tally.js';
import { tallyOf, thumbsTally } from './helpers.js';

// Every reference below was computed independently with python3's stdlib (math, fractions,
// statistics) from the textbook formulas, not with our code; the script lines are quoted.
describe('sample-ratio mismatch (chi-square goodness of fit, df 1)', () => {
  it('flags a deliberately skewed 50/50 split', () => {
    // chi2 = 2·200²/5000 = 16; p = math.erfc(math.sqrt(16/2)) = 6.334248366623977e-05
    const r = sampleRatioCheck(5200, 4800, 50);
    expect(r.statistic).toBeCloseTo(16, 10);
    expect(r.pValue).toBeCloseTo(6.334248366623977e-5, 12);
    expect(r.flagged).toBe(true);
  });
  it('does not flag ordinary noise', () => {
    // chi2 = 1; p = math.erfc(math.sqrt(0.5)) = 0.31731050786291404
    const r = sampleRatioCheck(5050, 4950, 50);
    expect(r.pValue).toBeCloseTo(0.31731050786291404, 10);
    expect(r.flagged).toBe(false);
  });
  it('uses the declared split, not 50/50', () => {
    // 90/10 split, 9050/950: chi2 = 2500/9000 + 2500/1000 = 2.7778; p = math.erfc(math.sqrt(chi2/2)) = 0.0955807045456294
    const r = sampleRatioCheck(9050, 950, 10);
    expect(r.statistic).toBeCloseTo(2.7777777777777777, 10);
    expect(r.pValue).toBeCloseTo(0.0955807045456294, 10);
    // …and 9050/950 read as a 50/50 split is wildly off.
    expect(sampleRatioCheck(9050, 950, 50).flagged).toBe(true);
  });
  it('has nothing to say without units', () => {
    expect(sampleRatioCheck(0, 0, 50)).toMatchObject({ pValue: 1, flagged: false });
  });
});

describe('rates: two-proportion z-test, lift and its interval', () => {
  it('matches hand-computed references for 500/1000 vs 560/1000', () => {
    const c = compareArms(thumbsTally(500, 1000), thumbsTally(560, 1000), 'thumbs_up', 0.05);
    expect(c.test).toBe('z-test');
    expect(c.diff).toBeCloseTo(0.06, 12);
    // pooled p = 0.53, se = sqrt(.53·.47·2/1000), z = 0.06/se = 2.688124559825473, p = math.erfc(z/sqrt 2) = 0.007185458758132422
    expect(c.pValue).toBeCloseTo(0.007185458758132422, 9);
    // Wald interval, unpooled: 0.06 ± 1.959963984540054·sqrt(.25/1000 + .56·.44/1000)
    expect(c.ci[0]).toBeCloseTo(0.016331932048777746, 8);
    expect(c.ci[1]).toBeCloseTo(0.10366806795122224, 8);
    expect(c.lift).toBeCloseTo(0.12, 12);
    expect(c.liftCi![0]).toBeCloseTo(0.03266386409755549, 8);
    expect(c.liftCi![1]).toBeCloseTo(0.20733613590244448, 8);
  });
  it('switches to Fisher exact when an expected cell is below 5', () => {
    // 1/10 vs 6/10: two-sided Fisher p summed with fractions.Fraction over hypergeometric tables = 0.05727554179566564
    const c = compareArms(thumbsTally(1, 10), thumbsTally(6, 10), 'thumbs_up', 0.05);
    expect(c.test).toBe('fisher-exact');
    expect(c.pValue).toBeCloseTo(0.05727554179566564, 10);
  });
  it('derives error rate and task success from requests', () => {
    const a = tallyOf({ requests: 200, errors: 10 });
    const b = tallyOf({ requests: 200, errors: 30 });
    const e = compareArms(a, b, 'error_rate', 0.05);
    expect(e.a.value).toBeCloseTo(0.05, 12);
    expect(e.b.value).toBeCloseTo(0.15, 12);
    const s = compareArms(a, b, 'task_success', 0.05);
    expect(s.diff).toBeCloseTo(-0.1, 12);
    expect(s.pValue).toBeCloseTo(e.pValue, 12); // same table, columns swapped
  });
});

describe('means: Welch t, Mann–Whitney for latency', () => {
  it('matches a Welch reference on judge quality scores', () => {
    const A = [0.6, 0.7, 0.65, 0.8, 0.55, 0.7, 0.75, 0.6];
    const B = [0.8, 0.85, 0.75, 0.9, 0.7, 0.95, 0.8, 0.85, 0.9];
    const c = compareArms(tallyOf({ qualities: A }), tallyOf({ qualities: B }), 'quality', 0.05);
    expect(c.test).toBe('welch-t');
    // statistics.mean/variance → diff 0.16458333333333341, t = 4.13828962296358, df = 14.482664152063942;
    // two-sided p by Simpson integration of the Student t density (math.lgamma) = 0.0009385645767332418
    expect(c.diff).toBeCloseTo(0.16458333333333341, 12);
    expect(c.pValue).toBeCloseTo(0.0009385645767332418, 7);
  });
  it('uses the rank test for latency, and the mean difference for its interval', () => {
    const c = compareArms(tallyOf({ latencies: [100, 120, 130, 150, 900] }), tallyOf({ latencies: [200, 220, 260, 300, 310] }), 'latency', 0.05);
    expect(c.test).toBe('mann-whitney');
    // python3: U_A = #pairs (a, b) with a > b = 5 (only 900 beats the b's), U_B = 20, no ties;
    // mu = 12.5, sigma = sqrt(25·11/12) = 4.7871355387816905, z = (20 − 12.5 − 0.5)/sigma = 1.462252310027862,
    // p = math.erfc(z/sqrt 2) = 0.14367208180696028
    expect(c.pValue).toBeCloseTo(0.14367208180696028, 9);
    expect(c.diff).toBeCloseTo(1290 / 5 - 1400 / 5, 9); // sums 1290 (B) and 1400 (A)
  });
  it('keeps a bounded uniform latency sample but exact moments', () => {
    const t = emptyTally();
    let s = 1;
    const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < LATENCY_SAMPLE_CAP * 3; i++) addRequest(t, { ok: true, latencyMs: i, costUsd: 0, newUnit: false }, rnd);
    expect(t.latencySample).toHaveLength(LATENCY_SAMPLE_CAP);
    expect(t.latency.n).toBe(LATENCY_SAMPLE_CAP * 3);
    // mean of 0..N−1 = (N−1)/2, variance = N(N+1)/12 (discrete uniform, sample variance)
    const n = LATENCY_SAMPLE_CAP * 3;
    expect(t.latency.mean).toBeCloseTo((n - 1) / 2, 6);
    expect(momentsVariance(t.latency)).toBeCloseTo((n * (n + 1)) / 12, 0);
    // the reservoir covers the whole range, not only the first values
    expect(Math.max(...t.latencySample)).toBeGreaterThan(n * 0.9);
  });
});

describe('always-valid p-value (mSPRT)', () => {
  it('matches the mixture likelihood ratio computed by hand', () => {
    const c = compareArms(thumbsTally(500, 1000), thumbsTally(560, 1000), 'thumbs_up', 0.05);
    // V = .25/1000 + .56·.44/1000, τ² = 0.03², Λ = sqrt(V/(V+τ²))·exp(τ²·0.06²/(2V(V+τ²))); 1/Λ = 0.16203487567922034
    expect(sequentialLook(c, undefined)).toBeCloseTo(0.16203487567922034, 10);
    // a running minimum: a less extreme look never raises it
    expect(sequentialLook(c, 0.01)).toBe(0.01);
  });
  it('ignores looks with fewer than 30 observations per arm', () => {
    const c = compareArms(thumbsTally(0, 20), thumbsTally(20, 20), 'thumbs_up', 0.05);
    expect(sequentialLook(c, undefined)).toBe(1);
  });
});
