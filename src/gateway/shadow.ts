import { ProviderError } from '../providers/types.js';
import { runAttempts, type AttemptDeps } from './attempts.js';
import { Cancel } from './cancel.js';
import { failedOutcome, requestCompleted, type RequestCompletedEvent } from './events.js';
import type { GatewayRuntime } from './runtime.js';
import type { ChatRequestBody } from './upstream/types.js';

export type ShadowIds = Pick<RequestCompletedEvent, 'requestId' | 'time' | 'deployment' | 'tenant' | 'userHash' | 'messages' | 'context' | 'tier'>;

/**
 * Shadow stage of a canary: after the user has their answer, the same request goes to the
 * mirror variant's upstream and its outcome joins the event bus under that variant (request id
 * `<id>.shadow`), so the canary windows and online evaluation measure the candidate on live
 * traffic while no user ever sees its answer. Fire and forget: the user's request never waits.
 */
export function mirrorRequest(rt: GatewayRuntime, deps: AttemptDeps, policy: GatewayRuntime['config']['retry'], body: ChatRequestBody, variant: string, ids: ShadowIds): void {
  const upstream = rt.registry.get(ids.deployment)?.variants.find((v) => v.name === variant)?.upstream;
  if (!upstream || !rt.upstreams.has(upstream)) return;
  const t0 = performance.now();
  const event = { requestId: `${ids.requestId}.shadow`, time: ids.time, tenant: ids.tenant, userHash: ids.userHash, stream: false, messages: ids.messages, context: ids.context, tier: ids.tier };
  rt.inFlight++;
  runAttempts([upstream], policy, deps, new Cancel(), (u, s) => u.complete(Object.assign({}, body, { stream: false }), s)).then(
    (r) => {
      r.done();
      const v = r.value;
      rt.events.emit('request', requestCompleted({
        deployment: ids.deployment, variant, upstream, status: 200, outcome: 'ok', errorKind: undefined, latencyMs: performance.now() - t0, ttftMs: null,
        inputTokens: v.usage.inputTokens, outputTokens: v.usage.outputTokens, costUsd: rt.costUsd(upstream, v.usage.inputTokens, v.usage.outputTokens), cached: false, responseText: v.text,
      }, event));
    },
    (err: unknown) => {
      const status = err instanceof ProviderError && err.status ? err.status : 502;
      rt.events.emit('request', requestCompleted(failedOutcome(ids.deployment, variant, upstream, status, err, t0), event));
    },
  ).finally(() => {
    rt.inFlight--;
  });
}
