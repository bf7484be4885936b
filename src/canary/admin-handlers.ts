import { z } from 'zod';
import { LlmopsError, NotFoundError } from '../errors.js';
import type { CanaryController } from './controller.js';
import { DEFAULT_PLAN_TEXT, parsePlan } from './plan.js';

/**
 * The canary admin routes, independent of the HTTP framework: the gateway's admin API calls
 * `handleCanaryAdmin` for
 *   GET  /admin/deployments/:d/canary                 → status
 *   POST /admin/deployments/:d/canary                 → start  {candidate, stages?}
 *   POST /admin/deployments/:d/canary/pause|resume|abort|promote|rollback  {reason?}
 * and sends back `status` and the JSON `body`.
 */
export type CanaryAction = 'status' | 'start' | 'pause' | 'resume' | 'abort' | 'promote' | 'rollback';
export const CANARY_ACTIONS: readonly CanaryAction[] = ['status', 'start', 'pause', 'resume', 'abort', 'promote', 'rollback'];

const StartBody = z.strictObject({ candidate: z.string().min(1), stages: z.string().min(1).optional() });
const ReasonBody = z.strictObject({ reason: z.string().max(500).optional() }).optional();

export interface AdminReply {
  status: number;
  body: unknown;
}

function errorReply(err: unknown): AdminReply {
  if (err instanceof NotFoundError) return { status: 404, body: { error: err.message, hint: err.hint } };
  if (err instanceof LlmopsError) return { status: 400, body: { error: err.message, hint: err.hint } };
  if (err instanceof z.ZodError) return { status: 400, body: { error: `invalid body: ${err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}` } };
  return { status: 500, body: { error: 'internal error' } };
}

export function handleCanaryAdmin(controller: CanaryController, action: CanaryAction, deployment: string, body: unknown): AdminReply {
  try {
    switch (action) {
      case 'status':
        return { status: 200, body: controller.status(deployment) };
      case 'start': {
        const b = StartBody.parse(body ?? {});
        const plan = parsePlan(b.stages ?? DEFAULT_PLAN_TEXT);
        return { status: 201, body: controller.start({ deployment, candidate: b.candidate, plan }) };
      }
      case 'abort':
      case 'rollback': {
        const reason = ReasonBody.parse(body ?? undefined)?.reason;
        return { status: 200, body: action === 'abort' ? controller.abort(deployment, reason) : controller.rollback(deployment, reason) };
      }
      case 'pause':
        return { status: 200, body: controller.pause(deployment) };
      case 'resume':
        return { status: 200, body: controller.resume(deployment) };
      case 'promote':
        return { status: 200, body: controller.promote(deployment) };
    }
  } catch (err) {
    return errorReply(err);
  }
}
