/**
 * The gateway's HTTP server (fastify): data plane (/v1/chat/completions, /v1/models,
 * /v1/feedback), observability (/metrics, /healthz, /readyz) and the admin API. `startGateway`
 * listens; `shutdown` stops accepting, lets in-flight requests and streams finish up to a
 * deadline, then flushes the request log and closes upstream pools.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { registerAdminRoutes } from './admin.js';
import { bearerToken, isLoopback } from './auth.js';
import { createChatHandler } from './chat.js';
import { errorBody } from './http-errors.js';
import { RawReply, readJsonBody, rejectRaw } from './raw-http.js';
import { GatewayRuntime, type RuntimeOptions } from './runtime.js';

export interface GatewayServerOptions extends RuntimeOptions {
  host?: string;
  port?: number;
  /**
   * Called with the runtime before the server listens: where the canary controller, online
   * evaluation or A/B engine attach (subscribe to `rt.events`, act on `rt.registry`, set `rt.canary`).
   */
  setup?: (rt: GatewayRuntime) => void | Promise<void>;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly runtime: GatewayRuntime;
  readonly app: FastifyInstance;
  /** Stop accepting, drain up to `graceMs` (default config.shutdownGraceMs), flush, close. */
  shutdown(graceMs?: number): Promise<{ drained: boolean }>;
}

/** After the drain deadline, how long cut streams get to flush their final error event. */
const STREAM_FLUSH_MS = 250;

const FeedbackBody = z.strictObject({ request_id: z.string().min(1).max(200), rating: z.enum(['up', 'down']), comment: z.string().max(4000).optional() });

/** Builds the HTTP app around a runtime, without listening. */
export function buildGatewayApp(rt: GatewayRuntime, adminToken: string | undefined): { app: FastifyInstance; setReady(v: boolean): void } {
  let ready = true;
  const chat = createChatHandler(rt);
  // POST /v1/chat/completions bypasses fastify (see raw-http.ts for the measurement); every
  // other route goes through fastify's handler.
  const serverFactory = (handler: http.RequestListener) => {
    const server = http.createServer((req, res) => {
      if (req.method === 'POST' && (req.url === '/v1/chat/completions' || req.url?.startsWith('/v1/chat/completions?'))) {
        if (!ready) return rejectRaw(res, 503, 'The gateway is shutting down.', 'shutting_down', true);
        void readJsonBody(req, res, rt.config.bodyLimitBytes, () => rt.metrics.reject('too_large')).then((parsed) => {
          if (parsed) return chat({ headers: req.headers, body: parsed.body }, new RawReply(res));
        }).catch((err: unknown) => {
          rt.logger.log('error', 'request failed', { error: (err as Error).message });
          if (!res.headersSent) rejectRaw(res, 500, 'Internal gateway error.', 'internal_error');
          else res.destroy();
        });
        return;
      }
      handler(req, res);
    });
    server.keepAliveTimeout = 65_000;
    return server;
  };
  const app = Fastify({ logger: false, bodyLimit: rt.config.bodyLimitBytes, return503OnClosing: true, forceCloseConnections: 'idle', serverFactory });

  // An empty JSON body reads as "no body" (admin POSTs without options); bad JSON is a 400.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text as string) as unknown);
    } catch (err) {
      done(Object.assign(new Error(`Invalid JSON body: ${(err as Error).message}`), { statusCode: 400 }), undefined);
    }
  });

  app.setErrorHandler((err, _req, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status === 413) rt.metrics.reject('too_large');
    if (status >= 500) rt.logger.log('error', 'request failed', { error: (err as Error).message });
    const message = status === 413 ? `Request body larger than ${rt.config.bodyLimitBytes} bytes.` : status < 500 ? (err as Error).message : 'Internal gateway error.';
    reply.code(status).type('application/json').send(errorBody({ message, type: status < 500 ? 'invalid_request_error' : 'server_error', code: status === 413 ? 'request_too_large' : null }));
  });
  app.setNotFoundHandler((req, reply) => {
    // Each API keeps its own error shape: the admin API's {error: {message, hint?}}, OpenAI's elsewhere.
    if (req.url === '/admin' || req.url.startsWith('/admin/')) {
      return reply.code(404).send({ error: { message: `no route ${req.method} ${req.url}`, hint: 'GET /admin/openapi.json lists the admin routes.' } });
    }
    reply.code(404).type('application/json').send(errorBody({ message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error', code: 'not_found' }));
  });

  app.get('/v1/models', async (req, reply) => {
    if (rt.tenants.tenantOf(bearerToken(req.headers.authorization)) === undefined) {
      return reply.code(401).type('application/json').send(errorBody({ message: 'Missing or invalid API key.', type: 'invalid_request_error', code: 'invalid_api_key' }));
    }
    return { object: 'list', data: rt.registry.names().map((id) => ({ id, object: 'model', created: 0, owned_by: 'llmops-gateway' })) };
  });

  app.post('/v1/feedback', async (req, reply) => {
    const tenant = rt.tenants.tenantOf(bearerToken(req.headers.authorization));
    if (tenant === undefined) return reply.code(401).type('application/json').send(errorBody({ message: 'Missing or invalid API key.', type: 'invalid_request_error', code: 'invalid_api_key' }));
    const parsed = FeedbackBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).type('application/json').send(errorBody({ message: `Body must be {request_id, rating: "up"|"down", comment?}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, type: 'invalid_request_error', code: 'invalid_body' }));
    // Feedback on another tenant's request is not attributed to its variant; a repeat replaces.
    const e = rt.recordFeedback(parsed.data.request_id, parsed.data.rating, parsed.data.comment, tenant);
    return reply.code(202).send({ accepted: true, attributed: e.deployment !== undefined, replaced: e.replaces !== undefined });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(rt.metrics.registry.contentType);
    return rt.metrics.text();
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => (ready ? { status: 'ready' } : reply.code(503).send({ status: 'draining' })));

  registerAdminRoutes(app, rt, adminToken);
  return { app, setReady: (v) => (ready = v) };
}

/** The admin token for a listen address: refuse a non-loopback admin API without one. */
export function resolveAdminToken(host: string, tokenEnv: string, env: NodeJS.ProcessEnv): string | undefined {
  const token = env[tokenEnv];
  if (token) return token;
  if (!isLoopback(host)) throw new UsageError(`Refusing to start: the admin API would listen on ${host} without a token.`, `export ${tokenEnv}=<secret> (or listen on 127.0.0.1).`);
  return undefined;
}

export async function startGateway(opts: GatewayServerOptions): Promise<RunningGateway> {
  const env = opts.env ?? process.env;
  const host = opts.host ?? opts.config.host;
  const port = opts.port ?? opts.config.port;
  const adminToken = resolveAdminToken(host, opts.config.adminTokenEnv, env);
  const runtime = new GatewayRuntime(opts);
  await opts.setup?.(runtime);
  const { app, setReady } = buildGatewayApp(runtime, adminToken);
  const warmTimer = setInterval(() => runtime.registry.expireWarm(), 60_000);
  warmTimer.unref();
  try {
    await app.listen({ host, port });
  } catch (err) {
    clearInterval(warmTimer);
    await runtime.close();
    throw new UsageError(`Cannot listen on ${host}:${port}: ${(err as Error).message}`, 'Pick another --port or stop the process using it.');
  }
  const addr = app.server.address() as AddressInfo;
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  runtime.logger.log('info', 'gateway listening', { host: addr.address, port: addr.port, url: `http://${hostForUrl}:${addr.port}` });
  if (adminToken === undefined) runtime.logger.log('warn', 'admin API has no token (loopback only)', { reason: `${opts.config.adminTokenEnv} is not set` });
  let closing: Promise<{ drained: boolean }> | undefined;
  return {
    url: `http://${hostForUrl}:${addr.port}`,
    port: addr.port,
    runtime,
    app,
    shutdown(graceMs = opts.config.shutdownGraceMs) {
      closing ??= (async () => {
        setReady(false);
        clearInterval(warmTimer);
        runtime.logger.log('info', 'shutting down: draining', { inFlight: runtime.inFlight, graceMs });
        // Stop accepting now; then wait for requests and streams in flight (not for idle
        // keep-alive sockets, which clients may hold for seconds), up to the deadline.
        const closed = app.close();
        const deadline = Date.now() + graceMs;
        while (runtime.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        const drained = runtime.inFlight === 0;
        if (!drained) {
          // Streams still open get an in-band error event and end (never a silent truncation);
          // their handlers then finish quickly, which also lets the events flush before the cut.
          const streams = runtime.cutOpenResponses();
          runtime.logger.log('warn', 'drain deadline passed; ending open streams with an error event and closing remaining connections', { inFlight: runtime.inFlight, streams });
          const flushBy = Date.now() + STREAM_FLUSH_MS;
          while (runtime.openResponses.size > 0 && Date.now() < flushBy) await new Promise((r) => setTimeout(r, 5));
        }
        app.server.closeAllConnections();
        await closed.catch(() => undefined);
        await runtime.close();
        runtime.logger.log('info', 'gateway stopped', {});
        return { drained };
      })();
      return closing;
    },
  };
}
