/** OpenAPI 3.1 paths of the experiment admin routes, merged into GET /admin/openapi.json. */
import { dParam, json } from '../gateway/openapi-parts.js';

const errorResponses = {
  400: { description: 'invalid request, or refused (an experiment already runs, A is not the current model, the data does not support the winner…)' },
  401: { description: 'missing or wrong bearer token' },
  404: { description: 'unknown deployment, upstream or experiment' },
  501: { description: 'no experiment engine installed in this gateway' },
};
const metric = { enum: ['thumbs_up', 'task_success', 'quality', 'latency', 'cost'] };
const status = { description: 'experiment status: spec, per-arm tallies, decision (state, winner, primary metric with CI and p-values, guardrails, SRM check, progress)', ...json({ type: 'object' }) };

export function experimentOpenApiPaths(): Record<string, unknown> {
  return {
    '/admin/experiments': { get: { summary: 'Every A/B experiment (running and ended) with its current decision', responses: { 200: { description: 'experiments', ...json({ type: 'object', properties: { experiments: { type: 'array', items: { type: 'object' } } } }) }, 401: errorResponses[401], 501: errorResponses[501] } } },
    '/admin/deployments/{d}/experiment': {
      get: { summary: 'The running (else latest) A/B experiment of a deployment', parameters: dParam, responses: { 200: status, ...errorResponses } },
      post: {
        summary: 'Start an A/B experiment: A is the current model (control), B gets `split` percent of users (sticky by tenant + user)',
        parameters: dParam,
        requestBody: { required: true, ...json({
          type: 'object', required: ['variants'],
          properties: {
            variants: { type: 'object', required: ['A', 'B'], properties: { A: { type: 'string', description: 'upstream (the current model)' }, B: { type: 'string', description: 'upstream' } } },
            split: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100, default: 50, description: 'percent of traffic to B' },
            metric: { ...metric, default: 'thumbs_up', description: 'primary metric' },
            minSamples: { type: 'integer', default: 1000, description: 'per arm, of the primary metric' },
            minDuration: { type: 'string', default: '7d', description: 'duration: 30s, 10m, 2h, 7d' },
            alpha: { type: 'number', default: 0.05 },
            guardrails: { type: 'array', items: { type: 'object', required: ['metric', 'margin'], properties: { metric: { enum: ['thumbs_up', 'task_success', 'quality', 'latency', 'cost', 'hallucination', 'error_rate'] }, margin: { type: 'number', minimum: 0 } } } },
            guardrailAlpha: { type: 'number', default: 0.01 },
            guardrailMinSamples: { type: 'integer', default: 100 },
          },
        }) },
        responses: { 201: status, ...errorResponses },
      },
    },
    '/admin/deployments/{d}/experiment/stop': {
      post: {
        summary: 'Stop the running experiment: winner B is promoted; otherwise all traffic returns to A',
        parameters: dParam,
        requestBody: { required: false, ...json({ type: 'object', properties: { winner: { enum: ['A', 'B'] }, reason: { type: 'string' }, force: { type: 'boolean', default: false, description: 'accept a winner the data does not support' } } }) },
        responses: { 200: status, ...errorResponses },
      },
    },
  };
}
