/**
 * POST /v1/chat/completions: authenticate the tenant, rate limit, pick the deployment (and
 * tier, for routed ones), assign the variant by sticky hash, serve from cache or through the
 * attempt loop (retries, breakers, fallback), answer as JSON or as an SSE stream flushed chunk
 * by chunk, then announce the completed request on the event bus (metrics, stats, request log).
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ProviderError } from '../providers/types.js';
import { uuidv7 } from '../util/uuid7.js';
import { abortableSleep, runAttempts, type AttemptDeps } from './attempts.js';
import { bearerToken } from './auth.js';
import { cacheableStream, replayFrames } from './cache-replay.js';
import { Cancel, type CancelSignal } from './cancel.js';
import { chatRequestError } from './chat-request.js';
import type { SplitDeploymentConfig } from './config.js';
import { failedOutcome, requestCompleted, type RequestOutcome } from './events.js';
import { clientErrorFor, errorBody, type ClientError } from './http-errors.js';
import { routeRequestOf, type GatewayRouteRequest } from './routing.js';
import type { ChatHttpRequest, RawReply } from './raw-http.js';
import type { CachedResponse, ResponseCache } from './response-cache.js';
import type { GatewayRuntime } from './runtime.js';
import { mirrorRequest } from './shadow.js';
import { bucketOf, hash32 } from './split.js';
import { chatCompletion } from './upstream/openai-format.js';
import type { ChatRequestBody, StreamPiece } from './upstream/types.js';

// Outcomes are full literals, never `{ ...base, more }`: see requestCompleted in events.ts.
type Outcome = RequestOutcome & {
  /** Set when the answer failed the fast-tier checks and was not sent (router upgrade path). */
  upgradeReason?: string | undefined;
};

function sendError(reply: RawReply, e: ClientError): void {
  if (e.retryAfterSeconds !== undefined) reply.header('retry-after', String(e.retryAfterSeconds));
  reply.code(e.status).type('application/json').send(errorBody(e));
}

/** The answer to a non-streamed request still waiting on its upstream at the shutdown deadline. */
const SHUTDOWN_ERROR: ClientError = { status: 503, type: 'server_error', code: 'gateway_shutting_down', message: 'The gateway is shutting down and stopped this request before it was answered; retry it.', retryAfterSeconds: 1 };

/** The in-band event that ends a stream cut by the gateway's shutdown (see GatewayRuntime.cutOpenResponses). */
const SHUTDOWN_FRAME = `data: ${errorBody({ message: 'The gateway is shutting down and cut this stream before it finished; retry the request.', type: 'server_error', code: 'gateway_shutting_down' })}\n\n`;

/** Removes the gateway's own request fields before the body goes upstream. */
function upstreamBody(body: ChatRequestBody): { body: ChatRequestBody; context: string | undefined } {
  const meta = body.metadata as { context?: unknown; tags?: unknown } | undefined;
  if (!meta || typeof meta !== 'object' || (meta.context === undefined && meta.tags === undefined)) return { body, context: undefined };
  const { metadata: _ours, ...rest } = body;
  return { body: rest as ChatRequestBody, context: typeof meta.context === 'string' ? meta.context : undefined };
}

function attemptDeps(rt: GatewayRuntime): AttemptDeps {
  return {
    upstream: (n) => rt.upstream(n).upstream,
    breaker: (n) => rt.upstream(n).breaker,
    timeoutMs: (n) => rt.upstream(n).timeoutMs,
    now: rt.now,
    random: rt.random,
    sleep: abortableSleep,
    onRetry: (n) => rt.metrics.retry(n),
    onFailure: (n, e) => {
      rt.metrics.upstreamError(n, e.kind);
      rt.logger.log('warn', 'upstream attempt failed', { upstream: n, errorKind: e.kind, status: e.status });
    },
  };
}

export function createChatHandler(rt: GatewayRuntime) {
  const deps = attemptDeps(rt);
  const policy = rt.config.retry;

  return async function chatCompletions(req: ChatHttpRequest, reply: RawReply): Promise<void> {
    const t0 = performance.now();
    const time = rt.now();
    const requestId = uuidv7(time);
    reply.header('x-llmops-request-id', requestId);

    const tenant = rt.tenants.tenantOf(bearerToken(req.headers.authorization));
    if (tenant === undefined) {
      rt.metrics.reject('unauthorized');
      reply.header('www-authenticate', 'Bearer');
      return sendError(reply, { status: 401, type: 'invalid_request_error', code: 'invalid_api_key', message: 'Missing or invalid API key (Authorization: Bearer <tenant key>).' });
    }
    const limit = rt.limiter.take(tenant, rt.now());
    if (!limit.ok) {
      rt.metrics.reject('rate_limited');
      return sendError(reply, { status: 429, type: 'rate_limit_exceeded', code: 'tenant_rate_limited', message: `Rate limit of tenant ${tenant} exceeded.`, retryAfterSeconds: Math.max(1, Math.ceil(limit.retryAfterMs / 1000)) });
    }
    const bad = chatRequestError(req.body);
    if (bad !== undefined) {
      rt.metrics.reject('bad_request');
      return sendError(reply, { status: 400, type: 'invalid_request_error', code: bad.code, message: bad.message, param: bad.param });
    }
    const raw = req.body as ChatRequestBody;
    const { body, context } = upstreamBody(raw);

    let deployment = raw.model;
    let tier: string | undefined;
    let routeRequest: GatewayRouteRequest | undefined;
    const routed = rt.registry.routed.get(deployment);
    if (routed) {
      const tagsHeader = req.headers['x-llmops-tags'];
      routeRequest = routeRequestOf(raw, tenant, context, typeof tagsHeader === 'string' ? tagsHeader : undefined);
      const decision = rt.routeDecider(routeRequest);
      tier = decision.tier;
      deployment = routed.tiers[decision.tier];
      rt.metrics.routeDecision(raw.model, decision.tier, decision.reason);
      reply.header('x-llmops-tier', decision.tier);
    }
    const depConfig = rt.config.deployments[deployment] as SplitDeploymentConfig | undefined;
    const userHeader = req.headers['x-llmops-user'];
    const user = typeof raw.user === 'string' && raw.user !== '' ? raw.user : typeof userHeader === 'string' && userHeader !== '' ? userHeader : undefined;
    // No user id: the request id stands in, so anonymous requests still spread by weight.
    const variant = depConfig && rt.registry.route(deployment, bucketOf(tenant, user ?? requestId));
    if (!depConfig || !variant) {
      rt.metrics.reject('unknown_model');
      return sendError(reply, { status: 404, type: 'invalid_request_error', code: 'model_not_found', message: `The model \`${raw.model}\` is not a deployment of this gateway (GET /v1/models lists them).` });
    }
    reply.header('x-llmops-deployment', deployment).header('x-llmops-variant', variant.name);
    const userHash = user === undefined ? 'anonymous' : hash32(`${tenant}\u0000${user}`).toString(16).padStart(8, '0');
    const plan = [...new Set([variant.upstream, ...depConfig.fallback])];
    const stream = raw.stream === true;

    const cancel = new Cancel();
    const onClose = () => {
      if (!reply.raw.writableFinished) cancel.abort('client');
    };
    reply.raw.once('close', onClose);
    rt.inFlight++;
    let outcome: Outcome;
    // The upstream the chosen variant would have used: anything else that answered is a fallback.
    let primaryUpstream = variant.upstream;
    // Upgrade path: a non-streamed fast-tier answer of a routed deployment must pass the cheap checks.
    const check = routed && tier === 'fast' && !stream && rt.fastAnswerCheck && routeRequest ? rt.fastAnswerCheck.bind(null, routeRequest) : undefined;
    try {
      outcome = stream
        ? await serveStream(rt, reply, body, plan, deps, policy, cancel, t0, { requestId, deployment, variant: variant.name, tier }, raw.stream_options?.include_usage === true, cacheFor(rt, deployment, variant.name, depConfig, body))
        : await serveJson(rt, reply, body, plan, deps, policy, cancel, t0, deployment, variant.name, depConfig, check);
      if (routed && outcome.upgradeReason !== undefined) {
        // The fast answer was paid for: log it under its own id, then retry on the powerful tier.
        const upgradeReason = outcome.upgradeReason;
        rt.events.emit('request', requestCompleted(outcome, { requestId: `${requestId}.fast`, time, tenant, userHash, stream, messages: raw.messages, context, tier }));
        tier = 'powerful';
        deployment = routed.tiers.powerful;
        rt.metrics.routeDecision(raw.model, 'powerful', 'upgrade');
        const upConfig = rt.config.deployments[deployment] as SplitDeploymentConfig;
        const upVariant = rt.registry.route(deployment, bucketOf(tenant, user ?? requestId))!;
        reply.header('x-llmops-tier', 'powerful').header('x-llmops-upgraded-from', 'fast').header('x-llmops-upgrade-reason', upgradeReason);
        reply.header('x-llmops-deployment', deployment).header('x-llmops-variant', upVariant.name);
        const upPlan = [...new Set([upVariant.upstream, ...upConfig.fallback])];
        primaryUpstream = upVariant.upstream;
        outcome = await serveJson(rt, reply, body, upPlan, deps, policy, cancel, t0, deployment, upVariant.name, upConfig);
      }
    } finally {
      rt.inFlight--;
      reply.raw.off('close', onClose);
    }
    if (outcome.upstream !== primaryUpstream && outcome.outcome === 'ok') rt.metrics.fallback(deployment, outcome.upstream);
    rt.events.emit('request', requestCompleted(outcome, { requestId, time, tenant, userHash, stream, messages: raw.messages, context, tier }));
    const shadow = rt.mirrorTarget?.(deployment);
    if (shadow !== undefined && shadow !== variant.name) {
      mirrorRequest(rt, deps, policy, body, shadow, { requestId, time, deployment, tenant, userHash, messages: raw.messages, context, tier });
    }
  };
}

/** Streamed and non-streamed forms of one request share a key: the user and the stream fields do not change the answer. */
function cacheKey(deployment: string, variant: string, body: ChatRequestBody): string {
  const { user: _user, stream: _stream, stream_options: _streamOptions, ...rest } = body;
  return createHash('sha256').update(`${deployment}\u0000${variant}\u0000${JSON.stringify(rest)}`).digest('hex');
}

interface CacheSlot {
  store: ResponseCache;
  key: string;
  ttlMs: number;
}

/** The cache entry a deterministic (temperature 0) request of a caching deployment may use. */
function cacheFor(rt: GatewayRuntime, deployment: string, variant: string, dep: SplitDeploymentConfig, body: ChatRequestBody): CacheSlot | undefined {
  if (body.temperature !== 0 || !dep.cache) return undefined;
  const store = rt.caches.get(deployment);
  return store && { store, key: cacheKey(deployment, variant, body), ttlMs: dep.cache.ttlSeconds * 1000 };
}

/** A request answered from the cache: no upstream call, nothing billed. */
function cachedOutcome(deployment: string, variant: string, upstream: string, hit: CachedResponse, t0: number, ttftMs: number | null): Outcome {
  return {
    deployment, variant, upstream, status: 200, outcome: 'ok', errorKind: undefined, latencyMs: performance.now() - t0, ttftMs,
    inputTokens: hit.inputTokens, outputTokens: hit.outputTokens, costUsd: 0, cached: true, responseText: hit.text,
  };
}

async function serveJson(
  rt: GatewayRuntime, reply: RawReply, body: ChatRequestBody, plan: string[], deps: AttemptDeps, policy: GatewayRuntime['config']['retry'],
  signal: Cancel, t0: number, deployment: string, variant: string, dep: SplitDeploymentConfig,
  check?: (answerText: string) => string | null,
): Promise<Outcome> {
  const cache = cacheFor(rt, deployment, variant, dep, body);
  const hit = cache?.store.get(cache.key, rt.now());
  if (hit) {
    reply.code(200).header('x-llmops-cache', 'hit').type('application/json').send(hit.body);
    return cachedOutcome(deployment, variant, plan[0]!, hit, t0, null);
  }
  // At the shutdown deadline: stop waiting on the upstream and answer 503 (retryable) rather
  // than let the connection close under the client.
  const cutForShutdown = () => signal.abort('shutdown');
  rt.openResponses.add(cutForShutdown);
  try {
    const r = await runAttempts(plan, policy, deps, signal, (u, s) => u.complete(body, s));
    r.done();
    const v = r.value;
    const upgradeReason = check?.(v.text) ?? undefined;
    if (upgradeReason === undefined) {
      reply.code(200).type('application/json').send(v.body);
      cache?.store.set(cache.key, { variant, body: v.body, inputTokens: v.usage.inputTokens, outputTokens: v.usage.outputTokens, text: v.text }, cache.ttlMs, rt.now());
    }
    return {
      deployment, variant, upstream: r.upstream, status: 200, outcome: 'ok', errorKind: undefined, latencyMs: performance.now() - t0, ttftMs: null,
      inputTokens: v.usage.inputTokens, outputTokens: v.usage.outputTokens, costUsd: rt.costUsd(r.upstream, v.usage.inputTokens, v.usage.outputTokens), cached: false, responseText: v.text, upgradeReason,
    };
  } catch (err) {
    return failBeforeAnswer(reply, signal, err, deployment, variant, plan[0]!, t0);
  } finally {
    rt.openResponses.delete(cutForShutdown);
  }
}

/** A request that failed before any of its answer was sent: an error response (503 if the shutdown deadline cut it). */
function failBeforeAnswer(reply: RawReply, signal: Cancel, err: unknown, deployment: string, variant: string, upstream: string, t0: number): Outcome {
  const shutdown = signal.reason === 'shutdown';
  const ce = shutdown ? SHUTDOWN_ERROR : clientErrorFor(err);
  if (!reply.raw.destroyed) sendError(reply, ce);
  return failedOutcome(deployment, variant, upstream, ce.status, err, t0, shutdown ? 'shutdown' : undefined);
}

function write(res: ServerResponse, frame: string): Promise<void> | undefined {
  if (res.write(frame)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

function sseHeaders(ids: { requestId: string; deployment: string; variant: string; tier: string | undefined }): Record<string, string> {
  return {
    'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no',
    'x-llmops-request-id': ids.requestId, 'x-llmops-deployment': ids.deployment, 'x-llmops-variant': ids.variant, ...(ids.tier ? { 'x-llmops-tier': ids.tier } : {}),
  };
}

async function serveStream(
  rt: GatewayRuntime, reply: RawReply, body: ChatRequestBody, plan: string[], deps: AttemptDeps, policy: GatewayRuntime['config']['retry'],
  signal: Cancel, t0: number, ids: { requestId: string; deployment: string; variant: string; tier: string | undefined }, clientWantsUsage: boolean,
  cache: CacheSlot | undefined,
): Promise<Outcome> {
  const hit = cache?.store.get(cache.key, rt.now());
  const replay = hit && replayFrames(hit, clientWantsUsage);
  if (hit && replay) {
    reply.raw.writeHead(200, Object.assign(sseHeaders(ids), { 'x-llmops-cache': 'hit' }));
    for (const frame of replay) if (!reply.raw.destroyed) await write(reply.raw, frame);
    const ttftMs = performance.now() - t0;
    if (!reply.raw.destroyed) reply.raw.end();
    return cachedOutcome(ids.deployment, ids.variant, plan[0]!, hit, t0, ttftMs);
  }
  let started;
  const cutBeforeHead = () => signal.abort('shutdown');
  rt.openResponses.add(cutBeforeHead);
  try {
    // Resolve only once the first piece arrived: until then nothing reached the client, so a
    // failure can still be retried or fall back without duplicating output.
    started = await runAttempts(plan, policy, deps, signal, async (u, s) => {
      const it = (await u.stream(body, s))[Symbol.asyncIterator]();
      const first = await it.next();
      return { it, first };
    });
  } catch (err) {
    return failBeforeAnswer(reply, signal, err, ids.deployment, ids.variant, plan[0]!, t0);
  } finally {
    rt.openResponses.delete(cutBeforeHead);
  }
  // The first piece arrived: `timeoutMs` bounded the wait for it, not the length of the answer.
  started.stopDeadline();
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, sseHeaders(ids));
  let ttftMs: number | null = null;
  let text = '';
  let usage = { inputTokens: 0, outputTokens: 0 };
  let failure: ProviderError | undefined;
  let finishReason: string | undefined;
  let nonText = false;
  // Shutdown deadline (GatewayRuntime.cutOpenResponses): end the stream with an in-band error event,
  // never a silent truncation, then stop reading upstream.
  let cut = false;
  const cutForShutdown = () => {
    cut = true;
    if (!res.destroyed && !res.writableEnded) res.end(SHUTDOWN_FRAME);
    signal.abort('shutdown');
  };
  rt.openResponses.add(cutForShutdown);
  const handle = async (p: StreamPiece) => {
    if (p.text) {
      if (ttftMs === null) ttftMs = performance.now() - t0;
      text += p.text;
    }
    if (p.usage) usage = p.usage;
    if (p.finishReason) finishReason = p.finishReason;
    if (p.nonText) nonText = true;
    if (p.frame && (!p.usageOnly || clientWantsUsage) && !res.destroyed && !cut) await write(res, p.frame);
  };
  try {
    let next = started.value.first;
    while (!next.done) {
      await handle(next.value);
      if (next.value.done || res.destroyed || cut) break;
      next = await started.value.it.next();
    }
  } catch (err) {
    // A read rejected by the shutdown's abort is not the upstream's failure.
    if (!cut) {
      failure = err instanceof ProviderError ? err : new ProviderError('network', (err as Error).message);
      rt.metrics.upstreamError(started.upstream, failure.kind);
      // Too late to retry (the client has output); tell it in-band, as OpenAI does.
      if (!res.destroyed) await write(res, `data: ${errorBody({ message: 'The upstream stream failed mid-way.', type: 'server_error', code: 'upstream_stream_error' })}\n\n`);
    }
  } finally {
    rt.openResponses.delete(cutForShutdown);
    started.done();
    if (!res.destroyed && !cut) res.end();
    // Client gone or stream cut: stop reading upstream (the pending read may reject as the pool closes; nobody waits for it).
    else started.value.it.return?.(undefined)?.catch(() => undefined);
  }
  const aborted = !cut && (failure?.kind === 'aborted' || (failure === undefined && res.destroyed));
  if (failure?.kind === 'aborted') failure = undefined;
  if (cache && !cut && !failure && !aborted && cacheableStream(finishReason, nonText)) {
    const head = { id: `chatcmpl-${ids.requestId}`, created: Math.floor(rt.now() / 1000), model: rt.config.upstreams[started.upstream]?.model ?? started.upstream };
    const body = JSON.stringify(chatCompletion(head, text, finishReason, usage));
    cache.store.set(cache.key, { variant: ids.variant, body, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, text }, cache.ttlMs, rt.now());
  }
  return {
    deployment: ids.deployment, variant: ids.variant, upstream: started.upstream, status: cut ? 503 : failure ? 502 : aborted ? 499 : 200, outcome: cut || failure || aborted ? 'error' : 'ok',
    errorKind: cut ? 'shutdown' : failure ? failure.kind : aborted ? 'aborted' : undefined,
    latencyMs: performance.now() - t0, ttftMs, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd: rt.costUsd(started.upstream, usage.inputTokens, usage.outputTokens), cached: false, responseText: text,
  };
}
