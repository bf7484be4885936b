/**
 * Where the rollback controller reads live metrics from. `in-process-windows.ts` (the default)
 * keeps sliding windows in the gateway's memory; a Prometheus source (future work: PromQL over
 * the `llmops_` metrics of all replicas, e.g. `increase(llmops_requests_total{variant="candidate"}[5m])`
 * and `histogram_quantile(0.95, …llmops_request_duration_seconds_bucket…)`) implements the same
 * interface when the gateway runs as several replicas. Every method is async for that reason.
 */
export type Variant = 'baseline' | 'candidate';

/** Aggregates of one variant over the last `windowMs` before `nowMs`. Plain data (JSON-safe). */
export interface WindowSnapshot {
  variant: Variant;
  windowMs: number;
  requests: number;
  errors: number;
  /** Latency percentiles of successful requests, ms (NaN when none). */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  quality: { n: number; mean: number; variance: number };
  hallucination: { n: number; count: number };
  thumbs: { n: number; up: number };
  costUsd: number;
  /** Requests per second over the window. */
  ratePerSec: number;
}

export interface WindowQuery {
  deployment: string;
  variant: Variant;
  windowMs: number;
  nowMs: number;
}

export interface MetricSource {
  snapshot(q: WindowQuery): Promise<WindowSnapshot>;
  /** How many successful requests in the window took longer than `thresholdMs` (for the P95 test). */
  latencyAbove(q: WindowQuery, thresholdMs: number): Promise<number>;
}

/** What the data plane reports per completed request (fed into an in-process source). */
export interface RequestObservation {
  deployment: string;
  variant: Variant;
  atMs: number;
  ok: boolean;
  latencyMs: number;
  costUsd?: number;
}

/** What online evaluation reports per judged response. */
export interface JudgementObservation {
  deployment: string;
  variant: Variant;
  atMs: number;
  /** 0..1 */
  quality?: number;
  hallucinated?: boolean;
}

export interface FeedbackObservation {
  deployment: string;
  variant: Variant;
  atMs: number;
  up: boolean;
  /** The earlier rating of the same answer that this one replaces (taken back, not added to). */
  replaces?: { atMs: number; up: boolean } | undefined;
}

/** An in-process sink for observations; the gateway seam calls these. */
export interface MetricSink {
  recordRequest(o: RequestObservation): void;
  recordJudgement(o: JudgementObservation): void;
  recordFeedback(o: FeedbackObservation): void;
}
