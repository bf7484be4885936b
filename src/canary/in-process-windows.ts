import { percentile } from '../stats/index.js';
import type {
  FeedbackObservation, JudgementObservation, MetricSink, MetricSource, RequestObservation, Variant, WindowQuery, WindowSnapshot,
} from './metric-source.js';
import { SampleSeries } from './sample-series.js';

/** Encodings inside one series, so each variant needs only a handful of series. */
const ERROR = -1;
/** A thumbs sample taken back because a later rating of the same answer replaced it. */
const REPLACED = -1;

interface VariantSeries {
  /** Latency in ms for a success, ERROR for a failure. */
  requests: SampleSeries;
  cost: SampleSeries;
  quality: SampleSeries;
  /** 1 hallucinated, 0 not. */
  hallucination: SampleSeries;
  /** 1 up, 0 down, REPLACED when a later rating of the same answer superseded it. */
  thumbs: SampleSeries;
}

function newSeries(): VariantSeries {
  return { requests: new SampleSeries(), cost: new SampleSeries(), quality: new SampleSeries(), hallucination: new SampleSeries(), thumbs: new SampleSeries() };
}

/**
 * The default metric source: sliding windows per deployment and variant kept in memory.
 * Samples older than `retainMs` (the longest window anyone asks for) are dropped on write.
 */
export class InProcessWindows implements MetricSource, MetricSink {
  private readonly series = new Map<string, VariantSeries>();
  constructor(private readonly retainMs: number) {}

  private get(deployment: string, variant: Variant): VariantSeries {
    const key = `${deployment}\u0000${variant}`;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = newSeries()));
    return s;
  }

  recordRequest(o: RequestObservation): void {
    const s = this.get(o.deployment, o.variant);
    s.requests.push(o.atMs, o.ok ? Math.max(0, o.latencyMs) : ERROR);
    if (o.costUsd !== undefined) s.cost.push(o.atMs, o.costUsd);
    s.requests.trim(o.atMs - this.retainMs);
    s.cost.trim(o.atMs - this.retainMs);
  }

  recordJudgement(o: JudgementObservation): void {
    const s = this.get(o.deployment, o.variant);
    if (o.quality !== undefined) s.quality.push(o.atMs, o.quality);
    if (o.hallucinated !== undefined) s.hallucination.push(o.atMs, o.hallucinated ? 1 : 0);
    s.quality.trim(o.atMs - this.retainMs);
    s.hallucination.trim(o.atMs - this.retainMs);
  }

  recordFeedback(o: FeedbackObservation): void {
    const s = this.get(o.deployment, o.variant);
    if (o.replaces) s.thumbs.replace(o.replaces.atMs, o.replaces.up ? 1 : 0, REPLACED);
    s.thumbs.push(o.atMs, o.up ? 1 : 0);
    s.thumbs.trim(o.atMs - this.retainMs);
  }

  /** Forgets a deployment's samples (a new canary starts from empty windows). */
  reset(deployment: string): void {
    this.series.delete(`${deployment}\u0000baseline`);
    this.series.delete(`${deployment}\u0000candidate`);
  }

  snapshotSync(q: WindowQuery): WindowSnapshot {
    const s = this.get(q.deployment, q.variant);
    const from = q.nowMs - q.windowMs;
    const latencies: number[] = [];
    let requests = 0;
    let errors = 0;
    s.requests.forEachIn(from, q.nowMs, (v) => {
      requests++;
      if (v === ERROR) errors++;
      else latencies.push(v);
    });
    const sorted = Float64Array.from(latencies).sort();
    let costUsd = 0;
    s.cost.forEachIn(from, q.nowMs, (v) => (costUsd += v));
    // Welford: one pass, numerically stable mean and sample variance.
    let qn = 0, mean = 0, m2 = 0;
    s.quality.forEachIn(from, q.nowMs, (v) => {
      qn++;
      const d = v - mean;
      mean += d / qn;
      m2 += d * (v - mean);
    });
    let hn = 0, hc = 0;
    s.hallucination.forEachIn(from, q.nowMs, (v) => { hn++; hc += v; });
    let tn = 0, tu = 0;
    s.thumbs.forEachIn(from, q.nowMs, (v) => {
      if (v === REPLACED) return;
      tn++;
      tu += v;
    });
    return {
      variant: q.variant,
      windowMs: q.windowMs,
      requests,
      errors,
      p50Ms: percentile(sorted, 0.5),
      p95Ms: percentile(sorted, 0.95),
      p99Ms: percentile(sorted, 0.99),
      quality: { n: qn, mean: qn === 0 ? NaN : mean, variance: qn > 1 ? m2 / (qn - 1) : 0 },
      hallucination: { n: hn, count: hc },
      thumbs: { n: tn, up: tu },
      costUsd,
      ratePerSec: requests / (q.windowMs / 1000),
    };
  }

  latencyAboveSync(q: WindowQuery, thresholdMs: number): number {
    let count = 0;
    this.get(q.deployment, q.variant).requests.forEachIn(q.nowMs - q.windowMs, q.nowMs, (v) => {
      if (v !== ERROR && v > thresholdMs) count++;
    });
    return count;
  }

  snapshot(q: WindowQuery): Promise<WindowSnapshot> {
    return Promise.resolve(this.snapshotSync(q));
  }

  latencyAbove(q: WindowQuery, thresholdMs: number): Promise<number> {
    return Promise.resolve(this.latencyAboveSync(q, thresholdMs));
  }
}
