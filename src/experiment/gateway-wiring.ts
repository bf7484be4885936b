import type { GatewayRuntime } from '../gateway/runtime.js';
import type { Db } from '../store/open.js';
import { migrate } from '../store/migrate.js';
import { handleExperimentAdmin } from './admin-handler.js';
import { ExperimentEngine } from './engine.js';
import { experimentMigrations, MemoryExperimentStore, SqliteExperimentStore } from './store.js';

export interface ExperimentWiringOptions {
  /** Control-plane database (experiments survive restarts); none → in memory. */
  db?: Db;
  /** Decision and persistence period (default 5 s; tests use less). */
  tickMs?: number;
}

/** The gateway `setup` hook form (GatewayServerOptions.setup), composable with the canary's. */
export function experimentSetup(o: ExperimentWiringOptions & { onAttached?: (engine: ExperimentEngine) => void } = {}): (rt: GatewayRuntime) => void {
  return (rt) => {
    const engine = attachExperiments(rt, o);
    o.onAttached?.(engine);
  };
}

/**
 * Plugs A/B experiments into a running gateway through its seams: the event bus feeds the
 * engine, the DeploymentRegistry moves traffic, and the admin API forwards /experiment routes
 * through `runtime.experiments`. Returns the engine; `engine.stop()` detaches it.
 */
export function attachExperiments(rt: GatewayRuntime, o: ExperimentWiringOptions = {}): ExperimentEngine {
  if (o.db) migrate(o.db, 'experiment', experimentMigrations);
  const store = o.db ? new SqliteExperimentStore(o.db) : new MemoryExperimentStore();
  const engine = new ExperimentEngine({
    registry: rt.registry, events: rt.events, store, now: rt.now, random: rt.random,
    upstreamExists: (u) => rt.upstreams.has(u), ...(o.tickMs === undefined ? {} : { tickMs: o.tickMs }),
  });
  rt.experiments = (action, deployment, body, actor) => handleExperimentAdmin(engine, action, deployment, body, actor);
  engine.run();
  return engine;
}
