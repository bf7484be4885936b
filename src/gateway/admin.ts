/**
 * The admin API under /admin (bearer token, constant-time comparison): deployment state and
 * live per-variant stats, weights, promote, rollback, the canary seam, the audit log and an
 * OpenAPI description. Control-plane only; the data plane never waits on it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LlmopsError, NotFoundError } from '../errors.js';
import { adminOpenApi } from './admin-openapi.js';
import { bearerToken, safeEqual } from './auth.js';
import type { DeploymentSnapshot } from './registry.js';
import type { CanaryAdminAction, GatewayRuntime } from './runtime.js';

const WeightsBody = z.strictObject({ weights: z.record(z.string(), z.number().min(0).max(100)), reason: z.string().optional() });
const PromoteBody = z.strictObject({ variant: z.string().optional(), reason: z.string().optional() }).default({});
/** The reason is optional, as for promote and `llmops rollback`; without one the audit log says so. */
const RollbackBody = z.strictObject({ reason: z.string().optional() }).default({});
export const DEFAULT_ROLLBACK_REASON = 'manual rollback (no reason given)';
const VariantBody = z.strictObject({ name: z.string().min(1), upstream: z.string().min(1), weight: z.number().min(0).max(100).optional(), reason: z.string().optional() });

function fail(reply: FastifyReply, status: number, message: string): void {
  reply.code(status).send({ error: { message } });
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body ?? undefined);
  if (!r.success) throw new LlmopsError(`invalid body: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function deploymentView(d: DeploymentSnapshot) {
  return {
    name: d.name, kind: 'split' as const, status: d.status, updatedAt: new Date(d.updatedAt).toISOString(), lastReason: d.lastReason ?? null,
    variants: d.variants.map((v) => ({ name: v.name, upstream: v.upstream, role: v.role, weight: v.weightBp / 100, ...(v.warmUntil === undefined ? {} : { warmUntil: new Date(v.warmUntil).toISOString() }) })),
  };
}

export function registerAdminRoutes(app: FastifyInstance, rt: GatewayRuntime, token: string | undefined): void {
  const actorOf = (req: FastifyRequest) => {
    const a = req.headers['x-llmops-actor'];
    return typeof a === 'string' && a.length <= 100 ? a : 'admin-api';
  };

  app.register(async (admin) => {
    admin.addHook('onRequest', async (req, reply) => {
      if (token === undefined) return; // loopback only, refused at start otherwise
      const given = bearerToken(req.headers.authorization);
      if (given === undefined || !safeEqual(given, token)) {
        reply.header('www-authenticate', 'Bearer');
        return reply.code(401).send({ error: { message: 'admin API: missing or wrong bearer token (the gateway reads it from LLMOPS_ADMIN_TOKEN or gateway.adminTokenEnv)' } });
      }
    });
    admin.setErrorHandler((err, _req, reply) => {
      if (err instanceof NotFoundError) return fail(reply, 404, err.message);
      if (err instanceof LlmopsError) return fail(reply, 400, err.message);
      const status = (err as { statusCode?: number }).statusCode;
      if (status && status < 500) return fail(reply, status, (err as Error).message);
      rt.logger.log('error', 'admin API error', { error: (err as Error).message });
      return fail(reply, 500, 'internal error');
    });

    admin.get('/openapi.json', async () => adminOpenApi());

    admin.get('/deployments', async () => ({
      deployments: rt.registry.list().map(deploymentView),
      routed: [...rt.registry.routed].map(([name, r]) => ({ name, kind: 'routed', tiers: r.tiers })),
    }));

    admin.get<{ Params: { d: string } }>('/deployments/:d', async (req) => {
      const { d } = req.params;
      const routed = rt.registry.routed.get(d);
      if (routed) return { name: d, kind: 'routed', tiers: routed.tiers };
      const snap = rt.registry.get(d);
      if (!snap) throw new NotFoundError(`unknown deployment "${d}"`);
      const cfg = rt.config.deployments[d];
      const canary = rt.canary ? await rt.canary('status', d, undefined, actorOf(req)) : undefined;
      return {
        ...deploymentView(snap),
        fallback: cfg && cfg.kind !== 'routed' ? cfg.fallback : [],
        stats: Object.fromEntries(snap.variants.map((v) => [v.name, rt.stats.variantStats(d, v.name)])),
        breakers: Object.fromEntries([...new Set(snap.variants.map((v) => v.upstream))].map((u) => [u, rt.upstreams.get(u)?.breaker.state(rt.now()) ?? 'unknown'])),
        canary: canary && canary.status === 200 ? canary.body : null,
      };
    });

    admin.put<{ Params: { d: string } }>('/deployments/:d/weights', async (req) => {
      const b = parse(WeightsBody, req.body);
      return deploymentView(rt.registry.setWeights(req.params.d, b.weights, { actor: actorOf(req), ...(b.reason === undefined ? {} : { reason: b.reason }) }));
    });

    admin.post<{ Params: { d: string } }>('/deployments/:d/variants', async (req) => {
      const b = parse(VariantBody, req.body);
      return deploymentView(rt.registry.setVariant(req.params.d, { name: b.name, upstream: b.upstream, ...(b.weight === undefined ? {} : { weightPercent: b.weight }) }, {
        actor: actorOf(req), ...(b.reason === undefined ? {} : { reason: b.reason }), upstreamExists: (u) => rt.upstreams.has(u),
      }));
    });

    admin.post<{ Params: { d: string } }>('/deployments/:d/promote', async (req) => {
      const b = parse(PromoteBody, req.body);
      return deploymentView(rt.registry.promote(req.params.d, { actor: actorOf(req), ...(b.variant === undefined ? {} : { variant: b.variant }), ...(b.reason === undefined ? {} : { reason: b.reason }) }));
    });

    admin.post<{ Params: { d: string } }>('/deployments/:d/rollback', async (req) => {
      const b = parse(RollbackBody, req.body);
      return deploymentView(rt.registry.rollback(req.params.d, { actor: actorOf(req), reason: b.reason?.trim() || DEFAULT_ROLLBACK_REASON }));
    });

    const canary = (action: CanaryAdminAction) => async (req: FastifyRequest<{ Params: { d: string } }>, reply: FastifyReply) => {
      if (!rt.registry.has(req.params.d)) throw new NotFoundError(`unknown deployment "${req.params.d}"`);
      if (!rt.canary) return fail(reply, 501, 'no canary controller is installed in this gateway');
      const r = await rt.canary(action, req.params.d, req.body, actorOf(req));
      return reply.code(r.status).send(r.body);
    };
    admin.get('/deployments/:d/canary', canary('status'));
    admin.post('/deployments/:d/canary', canary('start'));
    for (const a of ['pause', 'resume', 'abort', 'promote', 'rollback'] as const) admin.post(`/deployments/:d/canary/${a}`, canary(a));

    // A/B experiments (src/experiment): the engine answers with its own status and body.
    const experiment = (action: 'list' | 'status' | 'start' | 'stop') => async (req: FastifyRequest<{ Params: { d?: string } }>, reply: FastifyReply) => {
      if (!rt.experiments) return fail(reply, 501, 'no experiment engine is installed in this gateway');
      const r = rt.experiments(action, req.params.d, req.body, actorOf(req));
      return reply.code(r.status).send(r.body);
    };
    admin.get('/experiments', experiment('list'));
    admin.get('/deployments/:d/experiment', experiment('status'));
    admin.post('/deployments/:d/experiment', experiment('start'));
    admin.post('/deployments/:d/experiment/stop', experiment('stop'));

    admin.get<{ Querystring: { deployment?: string; limit?: string; after?: string } }>('/events', async (req) => {
      const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? 100) || 100));
      const after = Number(req.query.after ?? 0) || 0;
      const events = rt.registry.listEvents({ limit, afterId: after, ...(req.query.deployment ? { deployment: req.query.deployment } : {}) });
      return { events: events.map((e) => ({ ...e, time: new Date(e.time).toISOString() })) };
    });
  }, { prefix: '/admin' });
}
