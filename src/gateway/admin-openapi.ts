import { canaryOpenApiPaths, canaryStatusSchema } from '../canary/openapi.js';
import { experimentOpenApiPaths } from '../experiment/openapi.js';
import { dParam, json, ref } from './openapi-parts.js';

/** OpenAPI 3.1 description of the admin API, served at GET /admin/openapi.json. */
const errors = { 401: { description: 'missing or wrong bearer token', ...json(ref('Error')) }, 404: { description: 'unknown deployment', ...json(ref('Error')) }, 400: { description: 'invalid request', ...json(ref('Error')) } };

export function adminOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'llmops gateway admin API', version: '1' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'token from the env variable named by gateway.adminTokenEnv (default LLMOPS_ADMIN_TOKEN)' } },
      schemas: {
        Error: { type: 'object', properties: { error: { type: 'object', properties: { message: { type: 'string' }, hint: { type: 'string' } }, required: ['message'] } } },
        CanaryStatus: canaryStatusSchema,
        Variant: { type: 'object', required: ['name', 'upstream', 'role', 'weight'], properties: { name: { type: 'string' }, upstream: { type: 'string' }, role: { enum: ['baseline', 'candidate', 'warm'] }, weight: { type: 'number', description: 'percent of traffic' }, warmUntil: { type: 'string', format: 'date-time' } } },
        Deployment: { type: 'object', required: ['name', 'kind', 'status', 'variants'], properties: { name: { type: 'string' }, kind: { const: 'split' }, status: { enum: ['stable', 'split', 'promoted', 'rolled_back'] }, updatedAt: { type: 'string', format: 'date-time' }, lastReason: { type: ['string', 'null'] }, variants: { type: 'array', items: ref('Variant') } } },
        VariantStats: { type: 'object', description: 'sliding-window live stats', properties: { requests: { type: 'integer' }, errors: { type: 'integer' }, errorRate: { type: 'number' }, latencyMs: { type: 'object' }, ttftMs: { type: 'object' }, feedback: { type: 'object' }, windowSeconds: { type: 'number' } } },
        Event: { type: 'object', properties: { id: { type: 'integer' }, time: { type: 'string', format: 'date-time' }, deployment: { type: 'string' }, type: { type: 'string' }, actor: { type: 'string' }, reason: { type: 'string' }, detail: { type: 'object' } } },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/admin/deployments': { get: { summary: 'List deployments', responses: { 200: { description: 'split and routed deployments', ...json({ type: 'object', properties: { deployments: { type: 'array', items: ref('Deployment') }, routed: { type: 'array' } } }) }, 401: errors[401] } } },
      '/admin/deployments/{d}': { get: { summary: 'One deployment with live per-variant stats and breaker states', parameters: dParam, responses: { 200: { description: 'deployment', ...json({ allOf: [ref('Deployment'), { type: 'object', properties: { stats: { type: 'object', additionalProperties: ref('VariantStats') }, breakers: { type: 'object' }, fallback: { type: 'array' } } }] }) }, ...errors } } },
      '/admin/deployments/{d}/weights': { put: { summary: 'Set variant weights (percent); an omitted baseline takes the rest', parameters: dParam, requestBody: { required: true, ...json({ type: 'object', required: ['weights'], properties: { weights: { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 100 } }, reason: { type: 'string' } } }) }, responses: { 200: { description: 'new state', ...json(ref('Deployment')) }, ...errors } } },
      '/admin/deployments/{d}/variants': { post: { summary: 'Add or repoint a candidate variant', parameters: dParam, requestBody: { required: true, ...json({ type: 'object', required: ['name', 'upstream'], properties: { name: { type: 'string' }, upstream: { type: 'string' }, weight: { type: 'number' }, reason: { type: 'string' } } }) }, responses: { 200: { description: 'new state', ...json(ref('Deployment')) }, ...errors } } },
      '/admin/deployments/{d}/promote': { post: { summary: 'Candidate becomes baseline; the old baseline stays warm', parameters: dParam, requestBody: { required: false, ...json({ type: 'object', properties: { variant: { type: 'string' }, reason: { type: 'string' } } }) }, responses: { 200: { description: 'new state', ...json(ref('Deployment')) }, ...errors } } },
      '/admin/deployments/{d}/rollback': { post: { summary: 'All traffic to the baseline', parameters: dParam, requestBody: { required: false, ...json({ type: 'object', properties: { reason: { type: 'string', description: 'recorded in the audit log; default "manual rollback (no reason given)"' } } }) }, responses: { 200: { description: 'new state', ...json(ref('Deployment')) }, ...errors } } },
      ...canaryOpenApiPaths(),
      ...experimentOpenApiPaths(),
      '/admin/events': { get: { summary: 'Audit log, oldest first', parameters: [{ name: 'deployment', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000 } }, { name: 'after', in: 'query', schema: { type: 'integer' }, description: 'only events with a larger id' }], responses: { 200: { description: 'events', ...json({ type: 'object', properties: { events: { type: 'array', items: ref('Event') } } }) }, 401: errors[401] } } },
      '/admin/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
    },
  };
}
