import type { Registry } from 'prom-client';
import type { GatewayRuntime } from '../gateway/runtime.js';
import { judgeFailureLog } from '../online-eval/failure-log.js';
import { OnlineEvaluator } from '../online-eval/online-evaluator.js';
import type { OnlineJudge } from '../online-eval/types.js';
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
  /** Online evaluation of experiment traffic (quality, hallucination): judge and share judged (0 = off). */
  judge?: OnlineJudge;
  onlineShare?: number;
  onlineQueueCapacity?: number;
  /** Judge calls in flight (default 4). */
  onlineConcurrency?: number;
  metricsRegistry?: Registry;
}

/** The gateway `setup` hook form (GatewayServerOptions.setup), composable with the canary's. */
export function experimentSetup(o: ExperimentWiringOptions & { onAttached?: (engine: ExperimentEngine) => void } = {}): (rt: GatewayRuntime) => Promise<void> {
  return async (rt) => {
    const engine = await attachExperiments(rt, o);
    o.onAttached?.(engine);
  };
}

/**
 * Plugs A/B experiments into a running gateway through its seams: the event bus feeds the
 * engine (and, sampled, online evaluation whose verdicts come back as quality and
 * hallucination), the DeploymentRegistry moves traffic, and the admin API forwards /experiment
 * routes through `runtime.experiments`. `engine.stop()` detaches it.
 */
export async function attachExperiments(rt: GatewayRuntime, o: ExperimentWiringOptions = {}): Promise<ExperimentEngine> {
  if (o.db) migrate(o.db, 'experiment', experimentMigrations);
  const store = o.db ? new SqliteExperimentStore(o.db) : new MemoryExperimentStore();
  const engine = new ExperimentEngine({
    registry: rt.registry, events: rt.events, store, now: rt.now, random: rt.random,
    upstreamExists: (u) => rt.upstreams.has(u), ...(o.tickMs === undefined ? {} : { tickMs: o.tickMs }),
    judged: o.judge !== undefined && (o.onlineShare ?? 0) > 0,
  });
  if (o.judge && (o.onlineShare ?? 0) > 0) {
    // The online evaluator speaks in canary roles; A travels as `baseline`, B as `candidate`.
    const online = await OnlineEvaluator.create(
      { share: o.onlineShare ?? 0, queueCapacity: o.onlineQueueCapacity ?? 1000, concurrency: o.onlineConcurrency ?? 4, registry: o.metricsRegistry ?? rt.metrics.registry, onFailure: judgeFailureLog(rt.logger, 'experiment') },
      o.judge,
      {
        recordRequest: () => {},
        recordFeedback: () => {},
        recordJudgement: (j) => engine.recordJudgement(j.deployment, j.variant === 'baseline' ? 'A' : 'B', j),
      },
    );
    rt.events.on('request', (e) => {
      const arm = e.outcome === 'ok' ? engine.armOf(e.deployment, e.variant) : undefined;
      if (!arm) return;
      online.offer({ requestId: e.requestId, deployment: e.deployment, variant: arm === 'A' ? 'baseline' : 'candidate', atMs: e.time + e.latencyMs, question: lastUserText(e.messages), answer: e.responseText, context: e.context });
    });
  }
  rt.experiments = (action, deployment, body, actor) => handleExperimentAdmin(engine, action, deployment, body, actor);
  engine.run();
  return engine;
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m.role === 'user') return typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
  }
  return '';
}
