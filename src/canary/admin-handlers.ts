import { z } from 'zod';
import { ConflictError, LlmopsError, NotFoundError } from '../errors.js';
import type { CanaryController } from './controller.js';
import { DEFAULT_PLAN_TEXT, parsePlan } from './plan.js';

/**
 * The canary admin routes, independent of the HTTP framework: the gateway's admin API calls
 * `handleCanaryAdmin` for
 *   GET  /admin/deployments/:d/canary                 → status
 *   POST /admin/deployments/:d/canary                 → start  {candidate, stages?}
 *   POST /admin/deployments/:d/canary/pause|resume|promote            (no body)
 *   POST /admin/deployments/:d/canary/abort|rollback                  {reason?}
 * and sends back `status` and the JSON `body`: 201 on start, 200 otherwise; 409 for an action
 * on a canary that already ended (or a second canary), 404 when there is none, 400 otherwise.
 */
export type CanaryAction = 'status' | 'start' | 'pause' | 'resume' | 'abort' | 'promote' | 'rollback';
export const CANARY_ACTIONS: readonly CanaryAction[] = ['status', 'start', 'pause', 'resume', 'abort', 'promote', 'rollback'];

const StartBody = z.strictObject({ candidate: z.string().min(1), stages: z.string().min(1).optional() });
const ReasonBody = z.strictObject({ reason: z.string().max(500).optional() }).optional();

export interface AdminReply {
  status: number;
  body: unknown;
}

/** Errors use the admin API's shape: {error: {message, hint?}} (the Error schema of /admin/openapi.json). */
function errorReply(err: unknown): AdminReply {
  const body = (message: string, hint?: string) => ({ error: { message, ...(hint ? { hint } : {}) } });
  if (err instanceof NotFoundError) return { status: 404, body: body(err.message, err.hint) };
  if (err instanceof ConflictError) return { status: 409, body: body(err.message, err.hint) };
  if (err instanceof LlmopsError) return { status: 400, body: body(err.message, err.hint) };
  if (err instanceof z.ZodError) return { status: 400, body: body(`invalid body: ${err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`) };
  return { status: 500, body: body('internal error') };
}

export function handleCanaryAdmin(controller: CanaryController, action: CanaryAction, deployment: string, body: unknown, actor?: string): AdminReply {
  try {
    switch (action) {
      case 'status':
        return { status: 200, body: controller.status(deployment) };
      case 'start': {
        const b = StartBody.parse(body ?? {});
        const plan = parsePlan(b.stages ?? DEFAULT_PLAN_TEXT);
        return { status: 201, body: controller.start({ deployment, candidate: b.candidate, plan, ...(actor === undefined ? {} : { actor }) }) };
      }
      case 'abort':
      case 'rollback': {
        const reason = ReasonBody.parse(body ?? undefined)?.reason;
        return { status: 200, body: action === 'abort' ? controller.abort(deployment, reason, actor) : controller.rollback(deployment, reason, actor) };
      }
      case 'pause':
        return { status: 200, body: controller.pause(deployment, actor) };
      case 'resume':
        return { status: 200, body: controller.resume(deployment, actor) };
      case 'promote':
        return { status: 200, body: controller.promote(deployment, actor) };
    }
  } catch (err) {
    return errorReply(err);
  }
}
