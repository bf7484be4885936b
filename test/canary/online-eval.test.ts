import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { InProcessWindows } from '../../src/canary/in-process-windows.js';
import { SimJudge } from '../../src/judge/sim.js';
import { BoundedQueue } from '../../src/online-eval/bounded-queue.js';
import { JudgeOnline } from '../../src/online-eval/judge-online.js';
import { OnlineEvaluator } from '../../src/online-eval/online-evaluator.js';
import { isSampled, sampledShare } from '../../src/online-eval/sampler.js';
import type { OnlineItem, OnlineJudge, OnlineVerdict } from '../../src/online-eval/types.js';

const item = (i: number, over: Partial<OnlineItem> = {}): OnlineItem => ({
  requestId: `req-${i}`, deployment: 'chat', variant: 'candidate', atMs: 1000, question: 'What colour is the sky?', answer: 'The sky is blue.', ...over,
});

describe('sampling by request id', () => {
  it('is deterministic and close to the share', () => {
    expect(sampledShare('abc')).toBe(sampledShare('abc'));
    let n = 0;
    for (let i = 0; i < 20_000; i++) if (isSampled(`r${i}`, 0.1)) n++;
    // Binomial(20000, 0.1): sd ≈ 42, so ±250 is ~6 sd.
    expect(Math.abs(n - 2000)).toBeLessThan(250);
    expect(isSampled('x', 0)).toBe(false);
    expect(isSampled('x', 1)).toBe(true);
  });
});

describe('BoundedQueue', () => {
  it('drops and counts beyond capacity, processes the rest after the caller returns, counts failures', async () => {
    const done: number[] = [];
    const q = new BoundedQueue<number>(3, 1, (n) => {
      if (n === 2) return Promise.reject(new Error('judge down'));
      done.push(n);
      return Promise.resolve();
    });
    const accepted = [1, 2, 3, 4, 5].map((n) => q.offer(n));
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(done).toEqual([]); // nothing ran inside offer()
    await q.idle();
    expect(done).toEqual([1, 3]);
    expect([q.dropped, q.processed, q.failed, q.size]).toEqual([2, 2, 1, 0]);
    expect(q.offer(6)).toBe(true);
    await q.idle();
    expect(done).toEqual([1, 3, 6]);
  });
});

/** A judge whose calls wait until released: shows the queue filling while the judge is slow. */
class HeldJudge implements OnlineJudge {
  private release: () => void = () => {};
  private readonly gate = new Promise<void>((r) => (this.release = r));
  calls = 0;
  async judge(): Promise<OnlineVerdict> {
    this.calls++;
    await this.gate;
    return { quality: 1, hallucinated: false };
  }
  open(): void {
    this.release();
  }
}

describe('OnlineEvaluator', () => {
  it('judges sampled responses with the sim judge and feeds quality and hallucination into the windows', async () => {
    const windows = new InProcessWindows(60_000);
    const ev = await OnlineEvaluator.create({ share: 1 }, new JudgeOnline(new SimJudge()), windows);
    const context = 'The sky is blue on a clear day.';
    expect(ev.offer(item(1, { context }))).toBe(true);
    expect(ev.offer(item(2, { context, answer: 'The sky is green because of 42 dragons.' }))).toBe(true);
    await ev.idle();
    const s = windows.snapshotSync({ deployment: 'chat', variant: 'candidate', windowMs: 10_000, nowMs: 1000 });
    expect(s.quality.n).toBe(2);
    expect(s.hallucination).toEqual({ n: 2, count: 1 });
    expect(ev.stats()).toMatchObject({ judged: 2, dropped: 0 });
  });

  it('without a context only quality is judged', async () => {
    const windows = new InProcessWindows(60_000);
    const ev = await OnlineEvaluator.create({ share: 1 }, new JudgeOnline(new SimJudge()), windows);
    ev.offer(item(1));
    await ev.idle();
    const s = windows.snapshotSync({ deployment: 'chat', variant: 'candidate', windowMs: 10_000, nowMs: 1000 });
    expect([s.quality.n, s.hallucination.n]).toEqual([1, 0]);
  });

  it('never waits for a slow judge: a full queue drops and counts llmops_online_eval_dropped_total', async () => {
    const registry = new Registry();
    const judge = new HeldJudge();
    const windows = new InProcessWindows(60_000);
    const ev = await OnlineEvaluator.create({ share: 1, queueCapacity: 5, concurrency: 1, registry }, judge, windows);
    const accepted = Array.from({ length: 20 }, (_, i) => ev.offer(item(i)));
    expect(accepted.filter(Boolean)).toHaveLength(5);
    const text = await registry.metrics();
    expect(text).toContain('llmops_online_eval_dropped_total{deployment="chat"} 15');
    judge.open();
    await ev.idle();
    expect(ev.stats()).toEqual({ queued: 0, dropped: 15, judged: 5, failed: 0 });
    expect(await registry.metrics()).toContain('llmops_online_eval_judged_total{deployment="chat",variant="candidate"} 5');
  });

  it('honours the share', async () => {
    const ev = await OnlineEvaluator.create({ share: 0 }, new JudgeOnline(new SimJudge()), new InProcessWindows(1000));
    expect(ev.offer(item(1))).toBe(false);
  });
});
