/**
 * The gateway's typed event bus: the seam the canary controller, online evaluation, A/B
 * analysis and the request log subscribe to. Emitted synchronously on the request path, so
 * listeners must be cheap (queue work, don't do it inline).
 */
import { EventEmitter } from 'node:events';
import { ProviderError } from '../providers/types.js';

export interface RequestCompletedEvent {
  requestId: string;
  /** Epoch ms when the request arrived. */
  time: number;
  deployment: string;
  variant: string;
  /** Upstream that answered (a fallback upstream when the variant's own failed). */
  upstream: string;
  /** Tier chosen for routed deployments. */
  tier?: string | undefined;
  tenant: string;
  /** Hex hash of tenant + user (never the raw user id). */
  userHash: string;
  /** HTTP status sent to the client. */
  status: number;
  outcome: 'ok' | 'error';
  /** Classified failure (rate_limit, transient, timeout, network, bad_request…) when outcome is error. */
  errorKind?: string | undefined;
  latencyMs: number;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cached: boolean;
  stream: boolean;
  /** Request messages and answer, for the request log and online evaluation. */
  messages: unknown;
  responseText: string;
  context?: string | undefined;
}

/** What serving one request produced, before the request's own ids are attached. */
export type RequestOutcome = Omit<RequestCompletedEvent, 'requestId' | 'time' | 'tenant' | 'userHash' | 'messages' | 'context' | 'stream' | 'tier'>;

/** The request's own ids and inputs, attached to its outcome. */
export type RequestIds = Pick<RequestCompletedEvent, 'requestId' | 'time' | 'tenant' | 'userHash' | 'stream' | 'messages' | 'context' | 'tier'>;

/**
 * The event for one served request, written out field by field. Not `{ ...outcome, ...ids }`:
 * on Node 20 (V8 11.3) an object spread followed by more properties gets a brand-new hidden
 * class every time. Built per request, those classes piled up in old space (~2 KB a request)
 * and forced a 20–30 ms mark-compact every few seconds at 1,000 req/s, the gateway's p99 tail
 * (test/bench/gateway.bench.ts). A literal with the same keys in the same order shares one.
 */
export function requestCompleted(o: RequestOutcome, ids: RequestIds): RequestCompletedEvent {
  return {
    requestId: ids.requestId, time: ids.time, deployment: o.deployment, variant: o.variant, upstream: o.upstream, tier: ids.tier,
    tenant: ids.tenant, userHash: ids.userHash, status: o.status, outcome: o.outcome, errorKind: o.errorKind,
    latencyMs: o.latencyMs, ttftMs: o.ttftMs, inputTokens: o.inputTokens, outputTokens: o.outputTokens, costUsd: o.costUsd,
    cached: o.cached, stream: ids.stream, messages: ids.messages, responseText: o.responseText, context: ids.context,
  };
}

/** The outcome of a request that failed with `err` (nothing was answered, nothing billed). */
export function failedOutcome(deployment: string, variant: string, upstream: string, status: number, err: unknown, t0: number, kind?: string): RequestOutcome {
  return {
    deployment, variant, upstream, status, outcome: 'error', errorKind: kind ?? (err instanceof ProviderError ? err.kind : 'internal'),
    latencyMs: performance.now() - t0, ttftMs: null, inputTokens: 0, outputTokens: 0, costUsd: 0, cached: false, responseText: '',
  };
}

export type Rating = 'up' | 'down';

/** A rating the gateway already counted for a request, and when it arrived. */
export interface PreviousRating {
  rating: Rating;
  time: number;
}

/**
 * One `POST /v1/feedback`. Each answer has one rating: when the request was already rated (and is
 * still in the recent-request index), `replaces` carries the rating this one supersedes, and
 * every consumer that counts ratings takes the old one back before counting the new one. Only
 * attributed feedback (deployment and variant set) can replace.
 */
export interface FeedbackEvent {
  requestId: string;
  rating: Rating;
  comment?: string | undefined;
  /** Known when the request is still in the gateway's recent-request index. */
  deployment?: string | undefined;
  variant?: string | undefined;
  tenant: string;
  time: number;
  /** The earlier rating of the same request that this one replaces (a repeat or a change of mind). */
  replaces?: PreviousRating | undefined;
}

export interface AuditEvent {
  id?: number;
  time: number;
  deployment: string;
  /** weights_set, promote, rollback, variant_set, canary_*, warm_expired… */
  type: string;
  actor: string;
  reason?: string | undefined;
  detail: Record<string, unknown>;
}

interface EventMap {
  request: [RequestCompletedEvent];
  feedback: [FeedbackEvent];
  audit: [AuditEvent];
}

export class GatewayEvents {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  on<K extends keyof EventMap>(event: K, listener: (...args: EventMap[K]) => void): () => void {
    this.emitter.on(event, listener as (...a: unknown[]) => void);
    return () => this.emitter.off(event, listener as (...a: unknown[]) => void);
  }
  emit<K extends keyof EventMap>(event: K, ...args: EventMap[K]): void {
    this.emitter.emit(event, ...args);
  }
}
