import { describe, expect, it } from 'vitest';
import { SimSettingsSchema, type SimSettings } from '../../src/config/schema.js';
import { SimProvider } from '../../src/providers/sim.js';
import { freeAnswer, hashUniform, wrongAnswer } from '../../src/providers/sim-answers.js';
import { ProviderError, type CompletionRequest } from '../../src/providers/types.js';
import { createRng } from '../../src/stats/prng.js';

const settings = (s: Partial<SimSettings>): SimSettings => SimSettingsSchema.parse(s);
const sim = (s: Partial<SimSettings>, ref = 'sim-test') => new SimProvider({ ref, model: 'simulated-test', settings: settings(s), rng: createRng(`test:${ref}`) });
const ask = (caseId: string, expected: string | undefined, salt = 'run1'): CompletionRequest => ({
  messages: [{ role: 'user', content: `question ${caseId}` }],
  simHints: { caseId, ...(expected === undefined ? {} : { expected }), salt },
});
const ids = (n: number) => Array.from({ length: n }, (_, i) => `case-${i}`);

describe('sim correctness', () => {
  it('is labelled synthetic and deterministic for (seed, caseId)', async () => {
    const a = sim({ accuracy: 0.7, seed: 42 });
    const b = sim({ accuracy: 0.7, seed: 42 }, 'other-ref');
    expect(a.synthetic).toBe(true);
    for (const id of ids(200)) {
      const [x, y] = await Promise.all([a.complete(ask(id, '123')), b.complete(ask(id, '123', 'another-salt'))]);
      expect(x.text).toBe(y.text);
    }
  });

  it('paired regressions are exact: 0.95 vs 0.92 differ on exactly the cases with 0.92 ≤ u < 0.95', () => {
    const strong = sim({ accuracy: 0.95, seed: 7 });
    const weak = sim({ accuracy: 0.92, seed: 7 });
    const n = 20_000;
    let differ = 0;
    let strongRight = 0;
    for (const id of ids(n)) {
      const u = hashUniform('7', id);
      const s = strong.isCorrect(id);
      const w = weak.isCorrect(id);
      expect(s).toBe(u < 0.95);
      expect(w).toBe(u < 0.92);
      if (w) expect(s).toBe(true); // never a case the weaker model gets right and the stronger wrong
      if (s !== w) {
        differ++;
        expect(u >= 0.92 && u < 0.95).toBe(true);
      }
      if (s) strongRight++;
    }
    // u is uniform: the share of flipped cases is ≈ 3% (binomial sd √(n·0.03·0.97) ≈ 24; 5 sd bound).
    expect(Math.abs(differ - 0.03 * n)).toBeLessThan(5 * Math.sqrt(n * 0.03 * 0.97));
    expect(Math.abs(strongRight - 0.95 * n)).toBeLessThan(5 * Math.sqrt(n * 0.95 * 0.05));
  });

  it('a different seed gives a different (independent) set of correct cases', () => {
    const a = sim({ accuracy: 0.5, seed: 1 });
    const b = sim({ accuracy: 0.5, seed: 2 });
    const n = 4_000;
    const agree = ids(n).filter((id) => a.isCorrect(id) === b.isCorrect(id)).length;
    // Independent halves agree half the time: 2,000 ± 5 sd (sd ≈ 31.6).
    expect(Math.abs(agree - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));
  });

  it('noise 0: salts do not matter; noise > 0: same salt is reproducible, different salts differ a little', () => {
    const clean = sim({ accuracy: 0.8, seed: 3 });
    expect(ids(2_000).every((id) => clean.isCorrect(id, 'a') === clean.isCorrect(id, 'b'))).toBe(true);
    const noisy = sim({ accuracy: 0.8, seed: 3, noise: 0.2 });
    const n = 10_000;
    let differ = 0;
    for (const id of ids(n)) {
      expect(noisy.isCorrect(id, 'a')).toBe(noisy.isCorrect(id, 'a'));
      if (noisy.isCorrect(id, 'a') !== noisy.isCorrect(id, 'b')) differ++;
    }
    // Reference by hand: each salt keeps the case's fixed draw with prob 1 - noise = 0.8 and re-draws
    // with 0.2. Both keep it (0.8² = 0.64) → equal outcomes; otherwise the two outcomes are
    // independent Bernoulli(accuracy = 0.8) and differ with 2·0.8·0.2 = 0.32.
    // P(differ) = (1 - 0.64) · 0.32 = 0.1152.
    expect(Math.abs(differ / n - 0.1152)).toBeLessThan(5 * Math.sqrt(0.1152 * 0.8848 / n));
    // Accuracy stays 0.8 on average.
    const right = ids(n).filter((id) => noisy.isCorrect(id, 'x')).length;
    expect(Math.abs(right / n - 0.8)).toBeLessThan(5 * Math.sqrt(0.16 / n));
  });

  it('answers exactly the expected text when correct, something wrong otherwise', async () => {
    const p = sim({ accuracy: 0.6, seed: 9 });
    for (const id of ids(300)) {
      const r = await p.complete(ask(id, 'Paris'));
      if (p.isCorrect(id, 'run1')) expect(r.text).toBe('Paris');
      else expect(r.text.toLowerCase()).not.toContain('paris');
    }
  });

  it('without an expected answer: a plausible, deterministic text (JSON when asked)', async () => {
    const p = sim({ seed: 5 });
    const a = await p.complete({ messages: [{ role: 'user', content: 'Summarise the refund policy for annual plans.' }], simHints: { caseId: 'x1' } });
    const b = await p.complete({ messages: [{ role: 'user', content: 'Summarise the refund policy for annual plans.' }], simHints: { caseId: 'x1' } });
    expect(a.text).toBe(b.text);
    expect(a.text).toContain('refund policy');
    const j = await p.complete({ messages: [{ role: 'user', content: 'Give JSON' }], json: true, simHints: { caseId: 'x2' } });
    expect(JSON.parse(j.text)).toHaveProperty('answer');
    expect(freeAnswer('q', 0.1, false)).not.toBe(freeAnswer('q', 0.9, false));
  });
});

describe('sim wrong answers are wrong for every scorer type', () => {
  const us = Array.from({ length: 50 }, (_, i) => (i + 0.5) / 50);

  it.each(['0', '1', '7', '42', '1000', '-3', '3.14', '0.5', '1,234', '99999', '10'])('numeric %s: a different number, off by at least max(1, a tenth), never containing it', (expected) => {
    const n = Number(expected.replace(/,/g, ''));
    for (const u of us) {
      const w = wrongAnswer(expected, u);
      expect(w).not.toContain(expected);
      const m = Number(w);
      expect(Number.isFinite(m)).toBe(true);
      expect(Math.abs(m - n)).toBeGreaterThanOrEqual(Math.max(1, 0.1 * Math.abs(n)) - 1e-9);
    }
  });

  it.each(['{"answer":"Paris","confidence":0.9}', '[1,2,3]', '{"ok":true,"items":[{"id":1}]}', '{}'])('JSON %s: not parseable and different values', (expected) => {
    for (const u of us) {
      const w = wrongAnswer(expected, u);
      expect(() => JSON.parse(w)).toThrow();
      expect(w).not.toContain(expected);
    }
  });

  it('choice letters and yes/no/true/false flip to another option', () => {
    for (const e of ['A', 'B', 'C', 'D', 'E', 'b']) {
      for (const u of us) {
        const w = wrongAnswer(e, u);
        expect(w).toMatch(/^[A-Ea-e]$/);
        expect(w.toUpperCase()).not.toBe(e.toUpperCase());
        expect(w === w.toUpperCase()).toBe(e === e.toUpperCase());
      }
    }
    expect(wrongAnswer('yes', 0.3)).toBe('no');
    expect(wrongAnswer('No', 0.3)).toBe('Yes');
    expect(wrongAnswer('TRUE', 0.3)).toBe('FALSE');
  });

  it.each(['Paris', 'The refund window is 30 days.', 'is', 'a b c', 'Z9', '?!'])('text %j: different and never containing it (case-insensitive)', (expected) => {
    for (const u of us) {
      const w = wrongAnswer(expected, u);
      expect(w.toLowerCase()).not.toContain(expected.toLowerCase());
    }
  });
});

describe('sim latency, errors and cancellation', () => {
  it('latency is log-normal with the configured p50 and p95 (statistical tolerance), TTFT a fraction of it', async () => {
    const p = sim({ latencyMs: { p50: 20, p95: 60 }, ttftFraction: 0.25 });
    const n = 3_000;
    const rs = await Promise.all(ids(n).map((id) => p.complete(ask(id, '1'))));
    const lat = rs.map((r) => r.latencyMs).sort((a, b) => a - b);
    const q = (x: number) => lat[Math.floor(x * (n - 1))]!;
    // Sample quantiles of n = 3,000 draws: within ~10% of the configured values.
    expect(q(0.5)).toBeGreaterThan(18);
    expect(q(0.5)).toBeLessThan(22);
    expect(q(0.95)).toBeGreaterThan(52);
    expect(q(0.95)).toBeLessThan(68);
    // Log-normal: mean of ln(latency) ≈ ln(p50) (= 2.996); sd ≈ ln(3)/1.645 (= 0.668).
    const logs = lat.map(Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - Math.log(20))).toBeLessThan(0.05);
    expect(Math.abs(sd - Math.log(3) / 1.6448536269514722)).toBeLessThan(0.05);
    for (const r of rs) expect(r.ttftMs).toBeCloseTo(r.latencyMs * 0.25, 9);
  });

  it('waits for real (a timer of the drawn latency)', async () => {
    const p = sim({ latencyMs: { p50: 30, p95: 30 } });
    const t0 = performance.now();
    const r = await p.complete(ask('c', '1'));
    expect(r.latencyMs).toBe(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29); // a lower bound only: never flaky
  });

  it('zero latency resolves without any timer (before a setImmediate fires)', async () => {
    const p = sim({ latencyMs: { p50: 0, p95: 0 } });
    const first = await Promise.race([p.complete(ask('c', '5')), new Promise((r) => setImmediate(() => r('timer')))]);
    expect(first).not.toBe('timer');
    expect(first).toMatchObject({ latencyMs: 0, ttftMs: 0 });
  });

  it('fails with transient errors at errorRate, and re-draws on retry', async () => {
    const p = sim({ errorRate: 0.1 });
    const n = 4_000;
    const out = await Promise.allSettled(ids(n).map((id) => p.complete(ask(id, '1'))));
    const failed = out.filter((o) => o.status === 'rejected');
    for (const f of failed) {
      const e = (f as PromiseRejectedResult).reason as ProviderError;
      expect(e).toBeInstanceOf(ProviderError);
      expect(e.kind).toBe('transient');
      expect(e.message).toMatch(/simulated/);
    }
    expect(Math.abs(failed.length - 0.1 * n)).toBeLessThan(5 * Math.sqrt(n * 0.09));
    // The same case attempted again is not doomed to fail again.
    const again = await Promise.allSettled(ids(n).map((id) => p.complete(ask(id, '1'))));
    const bothFailed = ids(n).filter((_, i) => out[i]!.status === 'rejected' && again[i]!.status === 'rejected').length;
    expect(bothFailed).toBeLessThan(0.03 * n); // ≈ 1% if independent
  });

  it('honours the signal: a deadline → timeout, a cancel → aborted, an already aborted signal rejects at once', async () => {
    const p = sim({ latencyMs: { p50: 5_000, p95: 5_000 } });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('timed out after 20 ms')), 20);
    await expect(p.complete({ ...ask('c', '1'), signal: ctl.signal })).rejects.toMatchObject({ kind: 'timeout' });
    const ctl2 = new AbortController();
    setTimeout(() => ctl2.abort(), 20);
    await expect(p.complete({ ...ask('c', '1'), signal: ctl2.signal })).rejects.toMatchObject({ kind: 'aborted' });
    await expect(p.complete({ ...ask('c', '1'), signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('onDelta gets the answer at the time to first token, before the call completes', async () => {
    const p = sim({ accuracy: 1, latencyMs: { p50: 60, p95: 60 }, ttftFraction: 0.25 });
    const events: string[] = [];
    const done = p.complete({ ...ask('c', '42'), onDelta: (piece) => events.push(`delta:${piece}`) }).then((r) => events.push(`done:${r.text}`));
    // Timer order, not elapsed time: deadlines 15 ms (delta) < 35 ms (this check) < 60 ms (done).
    await new Promise((r) => setTimeout(r, 35));
    expect(events).toEqual(['delta:42']);
    await done;
    expect(events).toEqual(['delta:42', 'done:42']);
    const instant: string[] = [];
    await sim({ accuracy: 1 }).complete({ ...ask('c', '7'), onDelta: (piece) => instant.push(piece) });
    expect(instant).toEqual(['7']);
  });

  it('token counts ≈ characters / 4', async () => {
    const r = await sim({ accuracy: 1 }).complete({ messages: [{ role: 'user', content: 'x'.repeat(400) }], simHints: { caseId: 'c', expected: 'y'.repeat(80) } });
    expect(r.inputTokens).toBe(100);
    expect(r.outputTokens).toBe(20);
  });
});
