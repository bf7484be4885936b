import type { Registry } from 'prom-client';
import type { GatewayEvents } from '../gateway/events.js';
import type { DeploymentRegistry } from '../gateway/registry.js';
import type { OnlineJudge } from '../online-eval/types.js';
import { OnlineEvaluator } from '../online-eval/online-evaluator.js';
import { CanaryController } from './controller.js';
import { InProcessWindows } from './in-process-windows.js';
import type { Variant } from './metric-source.js';
import type { CanaryPolicy } from './policy.js';
import type { CanaryStore } from './ports.js';
import { RegistryTrafficControl } from './registry-traffic.js';

export interface CanaryWiringOptions {
  registry: DeploymentRegistry;
  events: GatewayEvents;
  store: CanaryStore;
  policy: CanaryPolicy;
  upstreamExists: (u: string) => boolean;
  /** Online evaluation: judge and share of live responses (0 = off). */
  judge?: OnlineJudge;
  onlineShare?: number;
  onlineQueueCapacity?: number;
  /** Judge calls in flight (default 4). */
  onlineConcurrency?: number;
  /** Told of every failed judge call. */
  onJudgeFailure?: (err: unknown) => void;
  metricsRegistry?: Registry;
  now?: () => number;
}

export interface CanaryWiring {
  controller: CanaryController;
  windows: InProcessWindows;
  traffic: RegistryTrafficControl;
  online: OnlineEvaluator | undefined;
  stop(): void;
}

/**
 * Plugs canaries into a gateway through its seams: completed requests and feedback from the
 * event bus feed the in-process windows (and, sampled, online evaluation); the controller acts
 * on the DeploymentRegistry. Listeners only push into memory: nothing here slows a request.
 */
export async function attachCanaries(o: CanaryWiringOptions): Promise<CanaryWiring> {
  const now = o.now ?? Date.now;
  const windows = new InProcessWindows(Math.max(...o.policy.windowsMs));
  const traffic = new RegistryTrafficControl(o.registry, o.upstreamExists, o.events);
  const controller = new CanaryController({ traffic, metrics: windows, store: o.store, policy: o.policy, now });
  const online = o.judge && (o.onlineShare ?? 0) > 0
    ? await OnlineEvaluator.create({ share: o.onlineShare ?? 0, queueCapacity: o.onlineQueueCapacity ?? 1000, concurrency: o.onlineConcurrency ?? 4, ...(o.onJudgeFailure ? { onFailure: o.onJudgeFailure } : {}), ...(o.metricsRegistry ? { registry: o.metricsRegistry } : {}) }, o.judge, windows)
    : undefined;

  /** Variant name → role in the deployment's canary (a map lookup: this runs per request). */
  const roleOf = (deployment: string, variant: string): Variant | undefined => {
    const s = controller.variantsOf(deployment);
    if (!s) return undefined;
    if (variant === s.candidate) return 'candidate';
    if (variant === s.baseline) return 'baseline';
    return undefined;
  };

  const offRequest = o.events.on('request', (e) => {
    const variant = roleOf(e.deployment, e.variant);
    if (!variant) return;
    windows.recordRequest({ deployment: e.deployment, variant, atMs: e.time + e.latencyMs, ok: e.outcome === 'ok', latencyMs: e.latencyMs, costUsd: e.costUsd });
    if (online && e.outcome === 'ok') {
      online.offer({
        requestId: e.requestId, deployment: e.deployment, variant, atMs: e.time + e.latencyMs,
        question: lastUserText(e.messages), answer: e.responseText, context: e.context,
      });
    }
  });
  const offFeedback = o.events.on('feedback', (e) => {
    if (e.deployment === undefined || e.variant === undefined) return;
    const variant = roleOf(e.deployment, e.variant);
    // A repeat or a change of mind replaces the answer's earlier rating (one rating per answer).
    if (variant) windows.recordFeedback({ deployment: e.deployment, variant, atMs: e.time, up: e.rating === 'up', replaces: e.replaces && { atMs: e.replaces.time, up: e.replaces.rating === 'up' } });
  });
  controller.run();
  return {
    controller, windows, traffic, online,
    stop() {
      controller.close();
      offRequest();
      offFeedback();
    },
  };
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m.role === 'user') return typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
  }
  return '';
}
