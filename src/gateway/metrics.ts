/**
 * Prometheus metrics (prom-client, one registry per gateway). Names are a contract
 * (DESIGN.md): llmops_requests_total{deployment,variant,status}, llmops_request_duration_seconds,
 * llmops_ttft_seconds, llmops_tokens_total, llmops_cost_usd_total. Label children are cached
 * so the request path does no label hashing.
 */
import { Counter, Gauge, Histogram, Registry, type LabelValues } from 'prom-client';
import type { BreakerState } from './breaker.js';
import type { RequestCompletedEvent } from './events.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

type Child = { inc(n?: number): void };
type ObsChild = { observe(v: number): void };

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'llmops_requests_total', help: 'Chat completion requests by deployment, variant and HTTP status.', labelNames: ['deployment', 'variant', 'status'] as const, registers: [this.registry] });
  private readonly duration = new Histogram({ name: 'llmops_request_duration_seconds', help: 'Time from request to last byte.', labelNames: ['deployment', 'variant'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly ttft = new Histogram({ name: 'llmops_ttft_seconds', help: 'Time to first streamed content byte.', labelNames: ['deployment', 'variant'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly tokens = new Counter({ name: 'llmops_tokens_total', help: 'Tokens by deployment, variant, tenant and direction (input/output).', labelNames: ['deployment', 'variant', 'tenant', 'direction'] as const, registers: [this.registry] });
  private readonly cost = new Counter({ name: 'llmops_cost_usd_total', help: 'Cost in USD from upstream prices.', labelNames: ['deployment', 'variant', 'tenant'] as const, registers: [this.registry] });
  private readonly upstreamErrors = new Counter({ name: 'llmops_upstream_errors_total', help: 'Failed upstream attempts by kind (rate_limit, transient, timeout, network, auth, bad_request).', labelNames: ['upstream', 'kind'] as const, registers: [this.registry] });
  private readonly retries = new Counter({ name: 'llmops_upstream_retries_total', help: 'Upstream attempts retried.', labelNames: ['upstream'] as const, registers: [this.registry] });
  private readonly fallbacks = new Counter({ name: 'llmops_fallbacks_total', help: 'Requests answered by a fallback upstream.', labelNames: ['deployment', 'upstream'] as const, registers: [this.registry] });
  private readonly cacheHits = new Counter({ name: 'llmops_cache_hits_total', help: 'Responses served from the deterministic-request cache.', labelNames: ['deployment'] as const, registers: [this.registry] });
  private readonly feedback = new Counter({ name: 'llmops_feedback_total', help: 'User feedback by deployment, variant and rating (every rating received, repeats included).', labelNames: ['deployment', 'variant', 'rating'] as const, registers: [this.registry] });
  private readonly feedbackReplacedTotal = new Counter({ name: 'llmops_feedback_replaced_total', help: 'Ratings replaced by a later rating of the same request, by the replaced rating; current ratings = llmops_feedback_total - this.', labelNames: ['deployment', 'variant', 'rating'] as const, registers: [this.registry] });
  private readonly rejected = new Counter({ name: 'llmops_rejected_requests_total', help: 'Requests refused before routing (unauthorized, rate_limited, too_large, bad_request, unknown_model).', labelNames: ['reason'] as const, registers: [this.registry] });
  private readonly routeDecisions = new Counter({ name: 'llmops_route_decisions_total', help: 'Tier decisions of routed deployments.', labelNames: ['deployment', 'tier', 'reason'] as const, registers: [this.registry] });
  private readonly children = new Map<string, Child | ObsChild>();

  constructor(opts: { breakerStates: () => Array<{ upstream: string; state: BreakerState }>; weights: () => Array<{ deployment: string; variant: string; percent: number }>; inFlight: () => number }) {
    new Gauge({
      name: 'llmops_breaker_state', help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open.', labelNames: ['upstream'] as const, registers: [this.registry],
      collect() {
        this.reset();
        for (const b of opts.breakerStates()) this.set({ upstream: b.upstream }, BREAKER_VALUE[b.state]);
      },
    });
    new Gauge({
      name: 'llmops_variant_weight_percent', help: 'Current traffic share per deployment variant.', labelNames: ['deployment', 'variant'] as const, registers: [this.registry],
      collect() {
        this.reset();
        for (const w of opts.weights()) this.set({ deployment: w.deployment, variant: w.variant }, w.percent);
      },
    });
    new Gauge({ name: 'llmops_in_flight_requests', help: 'Requests being served.', registers: [this.registry], collect() { this.set(opts.inFlight()); } });
  }

  private child<T extends Child | ObsChild>(metric: { labels(l: LabelValues<string>): T }, key: string, labels: LabelValues<string>): T {
    let c = this.children.get(key) as T | undefined;
    if (!c) {
      c = metric.labels(labels);
      this.children.set(key, c);
    }
    return c;
  }

  recordRequest(e: RequestCompletedEvent): void {
    const dv = `${e.deployment}\u0000${e.variant}`;
    this.child<Child>(this.requests, `r\u0000${dv}\u0000${e.status}`, { deployment: e.deployment, variant: e.variant, status: String(e.status) }).inc();
    this.child<ObsChild>(this.duration, `d\u0000${dv}`, { deployment: e.deployment, variant: e.variant }).observe(e.latencyMs / 1000);
    if (e.ttftMs !== null) this.child<ObsChild>(this.ttft, `t\u0000${dv}`, { deployment: e.deployment, variant: e.variant }).observe(e.ttftMs / 1000);
    if (e.inputTokens > 0) this.child<Child>(this.tokens, `ti\u0000${dv}\u0000${e.tenant}`, { deployment: e.deployment, variant: e.variant, tenant: e.tenant, direction: 'input' }).inc(e.inputTokens);
    if (e.outputTokens > 0) this.child<Child>(this.tokens, `to\u0000${dv}\u0000${e.tenant}`, { deployment: e.deployment, variant: e.variant, tenant: e.tenant, direction: 'output' }).inc(e.outputTokens);
    if (e.costUsd > 0) this.child<Child>(this.cost, `c\u0000${dv}\u0000${e.tenant}`, { deployment: e.deployment, variant: e.variant, tenant: e.tenant }).inc(e.costUsd);
    if (e.cached) this.cacheHits.inc({ deployment: e.deployment });
  }

  upstreamError(upstream: string, kind: string): void {
    this.upstreamErrors.inc({ upstream, kind });
  }
  retry(upstream: string): void {
    this.retries.inc({ upstream });
  }
  fallback(deployment: string, upstream: string): void {
    this.fallbacks.inc({ deployment, upstream });
  }
  feedbackReceived(deployment: string, variant: string, rating: string): void {
    this.feedback.inc({ deployment, variant, rating });
  }
  feedbackReplaced(deployment: string, variant: string, rating: string): void {
    this.feedbackReplacedTotal.inc({ deployment, variant, rating });
  }
  reject(reason: string): void {
    this.rejected.inc({ reason });
  }
  routeDecision(deployment: string, tier: string, reason: string): void {
    this.routeDecisions.inc({ deployment, tier, reason });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
