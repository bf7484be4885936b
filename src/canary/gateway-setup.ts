import type { GatewayRuntime } from '../gateway/runtime.js';
import type { OnlineJudge } from '../online-eval/types.js';
import type { Db } from '../store/open.js';
import { judgeFailureLog } from '../online-eval/failure-log.js';
import { migrate } from '../store/migrate.js';
import { handleCanaryAdmin } from './admin-handlers.js';
import { attachCanaries, type CanaryWiring } from './gateway-wiring.js';
import { MemoryCanaryStore } from './memory-traffic.js';
import type { CanaryPolicy } from './policy.js';
import { canaryMigrations, SqliteCanaryStore } from './sqlite-store.js';

export interface CanarySetupOptions {
  policy: CanaryPolicy;
  /** The gateway's control-plane database: canary state survives a restart. None → in memory. */
  db?: Db;
  judge?: OnlineJudge;
  onlineShare?: number;
  onlineQueueCapacity?: number;
  onlineConcurrency?: number;
  /** Receives the wiring once attached (tests, the demo). */
  onAttached?: (w: CanaryWiring) => void;
}

/**
 * The gateway `setup` hook (GatewayServerOptions.setup) that installs canaries: the controller
 * on the runtime's registry and event bus, online evaluation counters on its /metrics, and the
 * admin routes `/admin/deployments/:d/canary[/action]` via `rt.canary`.
 */
export function canarySetup(o: CanarySetupOptions): (rt: GatewayRuntime) => Promise<void> {
  return async (rt) => {
    if (o.db) migrate(o.db, 'canary', canaryMigrations);
    const wiring = await attachCanaries({
      registry: rt.registry, events: rt.events, policy: o.policy,
      store: o.db ? new SqliteCanaryStore(o.db) : new MemoryCanaryStore(),
      upstreamExists: (u) => rt.upstreams.has(u),
      ...(o.judge ? { judge: o.judge } : {}),
      ...(o.onlineShare === undefined ? {} : { onlineShare: o.onlineShare }),
      ...(o.onlineQueueCapacity === undefined ? {} : { onlineQueueCapacity: o.onlineQueueCapacity }),
      ...(o.onlineConcurrency === undefined ? {} : { onlineConcurrency: o.onlineConcurrency }),
      metricsRegistry: rt.metrics.registry,
      onJudgeFailure: judgeFailureLog(rt.logger, 'canary'),
      now: rt.now,
    });
    rt.canary = (action, deployment, body, actor) => handleCanaryAdmin(wiring.controller, action, deployment, body, actor);
    rt.mirrorTarget = (deployment) => wiring.traffic.mirrorTarget(deployment);
    o.onAttached?.(wiring);
  };
}
