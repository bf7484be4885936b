import type { Counter, Registry } from 'prom-client';
import type { MetricSink } from '../canary/metric-source.js';
import { BoundedQueue } from './bounded-queue.js';
import { isSampled } from './sampler.js';
import type { JudgeUsage } from '../judge/judge.js';
import type { OnlineItem, OnlineJudge } from './types.js';

export interface OnlineEvalOptions {
  /** Share of live responses judged (0..1). */
  share: number;
  /** Queue capacity; beyond it responses are dropped and counted. */
  queueCapacity?: number;
  /** Judge calls in flight. */
  concurrency?: number;
  /** Prometheus registry for llmops_online_eval_* counters (the gateway's /metrics). */
  registry?: Registry;
  /** Told of every failed judge call (after it is counted), e.g. a throttled log (failure-log.ts). */
  onFailure?: (err: unknown) => void;
}

interface Counters {
  dropped: Counter<'deployment'>;
  judged: Counter<'deployment' | 'variant'>;
  failed: Counter<'deployment'>;
  judgeCalls: Counter<'deployment'>;
  judgeTokens: Counter<'deployment' | 'direction'>;
  judgeCost: Counter<'deployment'>;
}

async function counters(registry: Registry): Promise<Counters> {
  const { Counter } = await import('prom-client');
  const make = <L extends string>(name: string, help: string, labelNames: L[]) =>
    (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    dropped: make('llmops_online_eval_dropped_total', 'Live responses sampled for online evaluation but dropped because the queue was full', ['deployment']),
    judged: make('llmops_online_eval_judged_total', 'Live responses judged by online evaluation', ['deployment', 'variant']),
    failed: make('llmops_online_eval_failed_total', 'Online judge calls that failed', ['deployment']),
    judgeCalls: make('llmops_online_eval_judge_calls_total', 'Calls to the online judge model (answers from its cache are not calls)', ['deployment']),
    judgeTokens: make('llmops_online_eval_judge_tokens_total', 'Tokens the online judge model used, by direction (input, output)', ['deployment', 'direction']),
    judgeCost: make('llmops_online_eval_judge_cost_usd_total', "What the online judge cost in USD, at the judge model's price (nothing counted without a price)", ['deployment']),
  };
}

/**
 * Sampled, asynchronous judging of live responses. `offer` costs a hash and an array write on
 * the request path; the judge runs later on a bounded queue and its verdicts feed the canary's
 * sliding windows (quality, hallucination).
 */
export class OnlineEvaluator {
  private readonly queue: BoundedQueue<OnlineItem>;
  private metrics: Counters | undefined;

  private constructor(private readonly opts: OnlineEvalOptions, private readonly judge: OnlineJudge, private readonly sink: MetricSink) {
    this.queue = new BoundedQueue<OnlineItem>(
      opts.queueCapacity ?? 1000,
      opts.concurrency ?? 4,
      (item) => this.evaluate(item),
      () => {},
      opts.onFailure ?? (() => {}),
    );
  }

  static async create(opts: OnlineEvalOptions, judge: OnlineJudge, sink: MetricSink): Promise<OnlineEvaluator> {
    const e = new OnlineEvaluator(opts, judge, sink);
    if (opts.registry) e.metrics = await counters(opts.registry);
    return e;
  }

  /** Request path: decide and enqueue; never waits. Returns whether the response was queued. */
  offer(item: OnlineItem): boolean {
    if (!isSampled(item.requestId, this.opts.share)) return false;
    const queued = this.queue.offer(item);
    if (!queued) this.metrics?.dropped.inc({ deployment: item.deployment });
    return queued;
  }

  private async evaluate(item: OnlineItem): Promise<void> {
    try {
      const { usage, ...v } = await this.judge.judge(item);
      this.sink.recordJudgement({ deployment: item.deployment, variant: item.variant, atMs: item.atMs, ...v });
      this.metrics?.judged.inc({ deployment: item.deployment, variant: item.variant });
      if (usage && this.metrics) this.countSpend(item.deployment, usage);
    } catch (err) {
      this.metrics?.failed.inc({ deployment: item.deployment });
      throw err;
    }
  }

  private countSpend(deployment: string, u: JudgeUsage): void {
    const m = this.metrics!;
    if (u.calls > 0) m.judgeCalls.inc({ deployment }, u.calls);
    if (u.inputTokens > 0) m.judgeTokens.inc({ deployment, direction: 'input' }, u.inputTokens);
    if (u.outputTokens > 0) m.judgeTokens.inc({ deployment, direction: 'output' }, u.outputTokens);
    if (u.costUsd !== null && u.costUsd > 0) m.judgeCost.inc({ deployment }, u.costUsd);
  }

  stats(): { queued: number; dropped: number; judged: number; failed: number } {
    return { queued: this.queue.size, dropped: this.queue.dropped, judged: this.queue.processed, failed: this.queue.failed };
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }
}
