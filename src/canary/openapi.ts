/** OpenAPI 3.1 paths of the canary admin routes (src/canary/admin-handlers.ts), merged into GET /admin/openapi.json. */
import { dParam, json, ref } from '../gateway/openapi-parts.js';

const error = (description: string) => ({ description, ...json(ref('Error')) });
const status = { description: 'the canary status (CanaryStatusView)', ...json(ref('CanaryStatus')) };
const common = {
  400: error('invalid body, or refused'),
  401: error('missing or wrong bearer token'),
  404: error('unknown deployment, or no canary on it'),
  501: error('no canary controller installed in this gateway'),
};
const ended = { 409: error('the canary already ended (completed, rolled back or aborted): start a new one') };
const reasonBody = { required: false, ...json({ type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500, description: 'recorded in the canary events and the audit log' } } }) };

export const canaryStatusSchema = {
  type: 'object',
  description: 'what `llmops canary status --json` prints',
  required: ['deployment', 'baseline', 'candidate', 'phase', 'paused', 'stage', 'candidateWeight', 'traffic', 'plan', 'events'],
  properties: {
    deployment: { type: 'string' }, baseline: { type: 'string' }, candidate: { type: 'string' },
    phase: { enum: ['shadow', 'stage', 'completed', 'rolled_back', 'aborted'] },
    paused: { type: 'boolean' },
    stage: { type: 'string', description: '"shadow", "25%", "100% (promoted)", "rolled back", "aborted"' },
    candidateWeight: { type: 'number', description: "the candidate's share in the current stage, percent" },
    traffic: { type: ['object', 'null'], additionalProperties: { type: 'number' }, description: 'what the deployment routes now, percent per variant' },
    mirror: { type: 'boolean' }, stageIndex: { type: 'integer' }, stages: { type: 'array', items: { type: 'string' } }, plan: { type: 'string' },
    stageElapsedMs: { type: 'number' }, stageRemainingMs: { type: 'number' }, blockedBy: { type: ['string', 'null'] },
    startedAt: { type: 'number', description: 'epoch ms' }, endedAt: { type: ['number', 'null'] }, warmUntil: { type: ['number', 'null'] },
    reason: { type: ['string', 'null'], description: 'why it ended (trigger with evidence, operator reason, "ended by <change> by <actor>")' },
    nowMs: { type: 'number' },
    windows: { type: 'array', items: { type: 'object' } }, evidence: { type: 'array', items: { type: 'object' } },
    history: { type: 'array', items: { type: 'object' } },
    events: { type: 'array', items: { type: 'object', properties: { atMs: { type: 'number' }, kind: { type: 'string' }, message: { type: 'string' }, actor: { type: 'string' } } } },
  },
};

export function canaryOpenApiPaths(): Record<string, unknown> {
  const action = (summary: string, requestBody?: unknown) => ({
    post: { summary, parameters: dParam, ...(requestBody ? { requestBody } : {}), responses: { 200: status, ...common, ...ended } },
  });
  return {
    '/admin/deployments/{d}/canary': {
      get: { summary: 'The canary of a deployment (running, else the last one, which may have ended)', parameters: dParam, responses: { 200: status, ...common } },
      post: {
        summary: 'Start a staged canary: the candidate upstream joins as a variant of the same name at the first stage',
        parameters: dParam,
        requestBody: { required: true, ...json({
          type: 'object', required: ['candidate'], additionalProperties: false,
          properties: {
            candidate: { type: 'string', description: 'an upstream of the gateway config' },
            stages: { type: 'string', default: '5:2h,25:6h,50:24h,100', description: 'plan: [shadow:<dur>,]<weight>:<dur>,…,100[:<keep-warm>]' },
          },
        }) },
        responses: {
          201: status, ...common,
          409: error('a canary already runs on the deployment'),
        },
      },
    },
    '/admin/deployments/{d}/canary/pause': action('Pause the canary: its stage clock stops, rollback triggers stay armed'),
    '/admin/deployments/{d}/canary/resume': action('Resume a paused canary'),
    '/admin/deployments/{d}/canary/abort': action('Abort the canary: all traffic back to the baseline, the candidate leaves the deployment', reasonBody),
    '/admin/deployments/{d}/canary/promote': action('Skip the remaining stages: the candidate becomes the baseline with 100%, the old baseline stays warm'),
    '/admin/deployments/{d}/canary/rollback': action('Roll the canary back: all traffic to the baseline, the candidate leaves the deployment', reasonBody),
  };
}
