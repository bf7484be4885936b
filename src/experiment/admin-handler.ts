import { z } from 'zod';
import { LlmopsError, NotFoundError } from '../errors.js';
import type { ExperimentEngine } from './engine.js';
import { statusView } from './view.js';

/**
 * The experiment admin routes, independent of the HTTP framework (the gateway's admin API
 * forwards to `handle`):
 *   GET  /admin/experiments                         → list   every experiment (running and ended)
 *   GET  /admin/deployments/:d/experiment           → status the running (else latest) experiment
 *   POST /admin/deployments/:d/experiment           → start  {variants: {A, B}, split?, metric?, minSamples?, minDuration?, …}
 *   POST /admin/deployments/:d/experiment/stop      → stop   {winner?, reason?, force?}
 * Errors use the admin API's shape: {error: {message, hint?}}.
 */
export type ExperimentAction = 'list' | 'status' | 'start' | 'stop';

export interface AdminReply {
  status: number;
  body: unknown;
}

function errorReply(err: unknown): AdminReply {
  const body = (message: string, hint?: string) => ({ error: { message, ...(hint ? { hint } : {}) } });
  if (err instanceof NotFoundError) return { status: 404, body: body(err.message, err.hint) };
  if (err instanceof LlmopsError) return { status: 400, body: body(err.message, err.hint) };
  if (err instanceof z.ZodError) return { status: 400, body: body(`invalid body: ${err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`) };
  return { status: 500, body: body('internal error') };
}

export function handleExperimentAdmin(engine: ExperimentEngine, action: ExperimentAction, deployment: string | undefined, body: unknown, actor: string): AdminReply {
  try {
    if (action === 'list') return { status: 200, body: { experiments: engine.list().map((r) => statusView(r, engine.decisionFor(r))) } };
    const d = deployment ?? '';
    if (action === 'start') {
      const r = engine.start(d, body, actor);
      return { status: 201, body: statusView(r, engine.decisionFor(r)) };
    }
    if (action === 'stop') {
      const { record, decision } = engine.stopExperiment(d, body, actor);
      return { status: 200, body: statusView(record, decision) };
    }
    const r = engine.latest(d);
    if (!r) throw new NotFoundError(`no experiment on deployment "${d}"`, `Start one: llmops ab start ${d} --variant A=<model> --variant B=<model>`);
    return { status: 200, body: statusView(r, engine.decisionFor(r)) };
  } catch (err) {
    return errorReply(err);
  }
}
