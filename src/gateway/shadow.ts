import { ProviderError } from '../providers/types.js';
import { runAttempts, type AttemptDeps } from './attempts.js';
import { Cancel } from './cancel.js';
import type { RequestCompletedEvent } from './events.js';
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
  const base = { ...ids, requestId: `${ids.requestId}.shadow`, variant, upstream, ttftMs: null, cached: false, stream: false };
  rt.inFlight++;
  runAttempts([upstream], policy, deps, new Cancel(), (u, s) => u.complete({ ...body, stream: false }, s)).then(
    (r) => {
      r.done();
      const v = r.value;
      rt.events.emit('request', {
        ...base, status: 200, outcome: 'ok', latencyMs: performance.now() - t0, inputTokens: v.usage.inputTokens, outputTokens: v.usage.outputTokens,
        costUsd: rt.costUsd(upstream, v.usage.inputTokens, v.usage.outputTokens), responseText: v.text,
      });
    },
    (err: unknown) => {
      rt.events.emit('request', {
        ...base, status: err instanceof ProviderError && err.status ? err.status : 502, outcome: 'error',
        errorKind: err instanceof ProviderError ? err.kind : 'internal', latencyMs: performance.now() - t0, inputTokens: 0, outputTokens: 0, costUsd: 0, responseText: '',
      });
    },
  ).finally(() => {
    rt.inFlight--;
  });
}
