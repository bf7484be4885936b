/**
 * Everything a running gateway holds, built from a validated config: upstreams with their
 * breakers, the deployment registry, limiter, caches, metrics, live stats, event bus and the
 * request log. The HTTP layer (server.ts) only translates requests into calls on this.
 */
import type { Db } from '../store/open.js';
import { CircuitBreaker } from './breaker.js';
import { tenantKeysFrom, type GatewayConfig } from './config.js';
import { GatewayEvents, type FeedbackEvent, type PreviousRating, type Rating } from './events.js';
import { LoggedRequests } from './logged-requests.js';
import { silentLogger, type Logger } from './logger.js';
import { GatewayMetrics } from './metrics.js';
import { RateLimiter } from './rate-limit.js';
import { DeploymentRegistry } from './registry.js';
import { RequestLogWriter } from './request-log.js';
import { ResponseCache } from './response-cache.js';
import { midTierDecider, type FastAnswerCheck, type RouteDecider } from './routing.js';
import { MemoryGatewayStateStore, SqliteGatewayStateStore, type GatewayStateStore } from './state-store.js';
import { LiveStats } from './stats-window.js';
import { TenantKeys } from './auth.js';
import { createUpstream } from './upstream/index.js';
import type { Upstream } from './upstream/types.js';

export type CanaryAdminAction = 'status' | 'start' | 'pause' | 'resume' | 'abort' | 'promote' | 'rollback';

/**
 * The canary controller's seam: the admin API forwards `/admin/deployments/:d/canary[/action]`
 * here and sends back `status` and `body` (src/canary/admin-handlers.ts `handleCanaryAdmin` fits).
 */
export type CanaryAdminHandler = (action: CanaryAdminAction, deployment: string, body: unknown, actor: string) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

/** The A/B experiment engine's seam (src/experiment/gateway-wiring.ts): the admin API forwards /experiment routes here. */
export type ExperimentAdminHandler = (action: 'list' | 'status' | 'start' | 'stop', deployment: string | undefined, body: unknown, actor: string) => { status: number; body: unknown };

export interface RuntimeOptions {
  config: GatewayConfig;
  /** Control-plane database (state survives restarts); none → in-memory state. */
  db?: Db;
  /** Request log database (default: `db`). */
  requestLogDb?: Db;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  routeDecider?: RouteDecider;
  /** Cheap checks of fast-tier answers of routed deployments (router upgrade path); none → no upgrades. */
  fastAnswerCheck?: FastAnswerCheck;
  canary?: CanaryAdminHandler;
  experiments?: ExperimentAdminHandler;
  now?: () => number;
  random?: () => number;
  /** Request ids remembered for attributing feedback (default 100,000; at least the newest half are kept). */
  recentRequests?: number;
  /** Override upstream construction (e.g. extra kinds); default by config type. */
  upstreams?: Map<string, Upstream>;
}

export interface RequestAttribution {
  readonly deployment: string;
  readonly variant: string;
  readonly tenant: string;
}

export interface UpstreamRuntime {
  upstream: Upstream;
  breaker: CircuitBreaker;
  timeoutMs: number;
  price: { input: number; output: number } | undefined;
}

export class GatewayRuntime {
  readonly config: GatewayConfig;
  readonly events = new GatewayEvents();
  readonly registry: DeploymentRegistry;
  readonly upstreams = new Map<string, UpstreamRuntime>();
  readonly limiter: RateLimiter;
  readonly tenants: TenantKeys;
  readonly caches = new Map<string, ResponseCache>();
  readonly stats: LiveStats;
  readonly metrics: GatewayMetrics;
  readonly requestLog: RequestLogWriter | undefined;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: () => number;
  routeDecider: RouteDecider;
  fastAnswerCheck: FastAnswerCheck | undefined;
  /** Shadow stage seam: the variant that gets a mirrored copy of a deployment's requests (set by the canary setup). */
  mirrorTarget: ((deployment: string) => string | undefined) | undefined;
  canary: CanaryAdminHandler | undefined;
  experiments: ExperimentAdminHandler | undefined;
  inFlight = 0;
  /**
   * One per response in progress at the shutdown deadline's reach: an SSE stream whose head was
   * sent (ended with an in-band error event) or a request waiting on its upstream (answered 503).
   */
  readonly openResponses = new Set<() => void>();
  /**
   * Recent request id → (deployment, variant, tenant), so feedback can be attributed: two
   * generations of up to recentRequests / 2 ids each, the older dropped whole when the newer fills. No
   * per-request delete (a Map that deletes as fast as it adds keeps rehashing), and the
   * attribution objects are shared per (deployment, variant, tenant).
   */
  private recent = new Map<string, RequestAttribution>();
  private older = new Map<string, RequestAttribution>();
  private readonly generation: number;
  private readonly attributions = new Map<string, RequestAttribution>();
  /**
   * The current rating of each rated request, in the generation its request id sits in (so a
   * rating is forgotten with its request: memory stays bounded by recentRequests).
   */
  private ratedRecent = new Map<string, PreviousRating>();
  private ratedOlder = new Map<string, PreviousRating>();
  /** Where feedback on a request the index no longer holds is attributed from (the request log). */
  private readonly loggedRequests: LoggedRequests | undefined;
  private readonly startedAt: number;

  constructor(opts: RuntimeOptions) {
    const env = opts.env ?? process.env;
    // Every configured tenant must have its own key: a tenant left without one is a refusal to
    // start (before anything is opened), never a silent fall back to anonymous access, which
    // only "no tenants configured" means.
    this.tenants = new TenantKeys(tenantKeysFrom(opts.config, env));
    this.config = opts.config;
    this.generation = Math.max(1, Math.ceil((opts.recentRequests ?? 100_000) / 2));
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
    this.random = opts.random ?? Math.random;
    this.logger = opts.logger ?? silentLogger;
    this.routeDecider = opts.routeDecider ?? midTierDecider;
    this.fastAnswerCheck = opts.fastAnswerCheck;
    this.canary = opts.canary;
    this.experiments = opts.experiments;
    const breakerSettings = { failureThreshold: opts.config.breaker.failureThreshold, openMs: opts.config.breaker.openSeconds * 1000, halfOpenProbes: opts.config.breaker.halfOpenProbes };
    for (const [name, cfg] of Object.entries(opts.config.upstreams)) {
      const upstream = opts.upstreams?.get(name) ?? createUpstream(name, cfg, env);
      this.upstreams.set(name, { upstream, breaker: new CircuitBreaker(breakerSettings), timeoutMs: cfg.timeoutMs, price: cfg.price });
    }
    const store: GatewayStateStore = opts.db ? new SqliteGatewayStateStore(opts.db) : new MemoryGatewayStateStore();
    this.registry = new DeploymentRegistry(opts.config, store, this.events, this.now);
    const rpm = new Map(opts.config.tenants.map((t) => [t.id, t.rateLimit?.rpm]));
    this.limiter = new RateLimiter((tenant) => rpm.get(tenant));
    for (const [name, dep] of Object.entries(opts.config.deployments)) if (dep.kind !== 'routed' && dep.cache) this.caches.set(name, new ResponseCache());
    this.stats = new LiveStats(Math.max(1, Math.round(opts.config.statsWindowSeconds)), this.now);
    this.metrics = new GatewayMetrics({
      breakerStates: () => [...this.upstreams].map(([upstream, u]) => ({ upstream, state: u.breaker.state(this.now()) })),
      weights: () => this.registry.list().flatMap((d) => d.variants.map((v) => ({ deployment: d.name, variant: v.name, percent: v.weightBp / 100 }))),
      inFlight: () => this.inFlight,
    });
    const logDb = opts.requestLogDb ?? opts.db;
    if (logDb) {
      this.requestLog = new RequestLogWriter(logDb, {
        sampleRate: opts.config.requestLog.sampleRate, redactContent: opts.config.requestLog.redactContent,
        onError: (err, rows) => this.logger.log('error', 'request log write failed', { error: err.message, ...(rows === undefined ? {} : { rows }) }),
      });
      this.loggedRequests = new LoggedRequests(logDb, (err) => this.logger.log('error', 'request log lookup failed', { error: err.message }));
    }
    this.events.on('request', (e) => {
      this.metrics.recordRequest(e);
      this.stats.window(e.deployment, e.variant).record(e.time + e.latencyMs, e.latencyMs, e.ttftMs, e.outcome === 'error');
      this.remember(e.requestId, e.deployment, e.variant, e.tenant);
      this.requestLog?.record(e);
    });
    this.events.on('feedback', (f) => {
      if (f.deployment !== undefined && f.variant !== undefined) {
        this.metrics.feedbackReceived(f.deployment, f.variant, f.rating);
        const w = this.stats.window(f.deployment, f.variant);
        if (f.replaces) {
          this.metrics.feedbackReplaced(f.deployment, f.variant, f.replaces.rating);
          // A rating from before this process started (found in the request log) was never in its window.
          if (f.replaces.time >= this.startedAt) w.retractFeedback(f.replaces.time, f.replaces.rating);
        }
        w.feedback(f.time, f.rating);
      } else this.metrics.feedbackReceived('unknown', 'unknown', f.rating);
      this.requestLog?.recordFeedback(f);
    });
  }

  private remember(id: string, deployment: string, variant: string, tenant: string): void {
    const key = `${deployment}\u0000${variant}\u0000${tenant}`;
    let a = this.attributions.get(key);
    if (!a) {
      a = { deployment, variant, tenant };
      if (this.attributions.size < 10_000) this.attributions.set(key, a);
    }
    if (this.recent.size >= this.generation) {
      this.older = this.recent;
      this.recent = new Map();
      this.ratedOlder = this.ratedRecent;
      this.ratedRecent = new Map();
    }
    this.recent.set(id, a);
  }

  lookupRequest(id: string): RequestAttribution | undefined {
    return this.recent.get(id) ?? this.older.get(id);
  }

  /**
   * Takes one rating of a request (POST /v1/feedback) and emits the `feedback` event. Feedback on
   * a request by the tenant that made it is attributed to its deployment and variant: found in
   * the recent-request index, or else in the request log (a request from before a restart, or
   * older than the index holds), which then puts it back in the index. A later rating of the same
   * request replaces the earlier one (the event's `replaces`), so each answer counts once with its
   * latest rating. Feedback on unknown request ids, or another tenant's, is logged but never attributed.
   */
  recordFeedback(requestId: string, rating: Rating, comment: string | undefined, tenant: string): FeedbackEvent {
    const time = this.now();
    let known: RequestAttribution | undefined = this.recent.get(requestId);
    let rated = this.ratedRecent;
    if (known === undefined) {
      known = this.older.get(requestId);
      rated = this.ratedOlder;
    }
    let replaces: PreviousRating | undefined;
    if (known === undefined) {
      const logged = this.loggedRequests?.find(requestId);
      if (logged !== undefined && logged.tenant === tenant) {
        this.remember(requestId, logged.deployment, logged.variant, logged.tenant);
        known = this.recent.get(requestId);
        rated = this.ratedRecent;
        replaces = this.loggedRequests!.latestRating(requestId, tenant);
      }
    }
    const mine = known !== undefined && known.tenant === tenant ? known : undefined;
    if (mine) {
      replaces = rated.get(requestId) ?? replaces;
      rated.set(requestId, { rating, time });
    }
    const event: FeedbackEvent = { requestId, rating, comment, deployment: mine?.deployment, variant: mine?.variant, tenant, time, replaces };
    this.events.emit('feedback', event);
    return event;
  }

  upstream(name: string): UpstreamRuntime {
    const u = this.upstreams.get(name);
    if (!u) throw new Error(`unknown upstream ${name}`);
    return u;
  }

  costUsd(upstream: string, inputTokens: number, outputTokens: number): number {
    const p = this.upstreams.get(upstream)?.price;
    return p ? (inputTokens * p.input + outputTokens * p.output) / 1_000_000 : 0;
  }

  /**
   * Shutdown deadline: ends every open stream with an OpenAI-style in-band error event and
   * answers every request still waiting on its upstream with a 503 (both code
   * `gateway_shutting_down`), aborting the upstream calls. Returns how many were cut.
   */
  cutOpenResponses(): number {
    const cuts = [...this.openResponses];
    for (const cut of cuts) cut();
    return cuts.length;
  }

  async close(): Promise<void> {
    await this.requestLog?.close();
    await Promise.all([...this.upstreams.values()].map((u) => u.upstream.close()));
  }
}
