import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { globals, loadConfigFor } from '../context.js';
import { info } from '../output.js';

const parsePort = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError(`--port must be an integer 0..65535 (got ${v})`);
  return n;
};

export function registerGatewayCommands(program: Command): void {
  const gateway = program.command('gateway').description('the OpenAI-compatible gateway');
  gateway
    .command('start')
    .description('serve the deployments of llmops.yaml `gateway:` (SIGTERM drains in-flight requests, then exits)')
    .option('--port <n>', 'listen port (default gateway.port, else 8787)', parsePort)
    .option('--host <addr>', 'listen address (default gateway.host, else 127.0.0.1)')
    .action(async (opts: { port?: number; host?: string }, cmd: Command) => {
      const g = globals(cmd);
      const loaded = await loadConfigFor(cmd);
      const { gatewayConfigFrom, tenantKeysFrom } = await import('../../gateway/config.js');
      const config = gatewayConfigFrom(loaded);
      tenantKeysFrom(config, process.env, loaded.source ?? undefined); // every tenant has its own key, or nothing starts (names file:line)
      const { canaryConfigFrom } = await import('../../canary/config.js');
      const canary = canaryConfigFrom(loaded); // validated before anything is opened
      // Online evaluation's judge, shared by canaries and experiments, only when it is on: a missing
      // API key refuses here, before anything is opened.
      const { onlineJudgeFrom } = await import('../../online-eval/judge-from-config.js');
      const online = canary.onlineShare > 0 ? await onlineJudgeFrom(loaded, canary.onlineJudge) : undefined;
      const { resolve } = await import('node:path');
      const { openDatabase } = await import('../../store/open.js');
      const { gatewayMigrations } = await import('../../gateway/state-store.js');
      const { startGateway, resolveAdminToken } = await import('../../gateway/server.js');
      const { createJsonLogger } = await import('../../gateway/logger.js');
      const host = opts.host ?? config.host;
      resolveAdminToken(host, config.adminTokenEnv, process.env); // refuse before opening anything
      const migrations = [{ component: 'gateway', steps: gatewayMigrations }];
      const db = openDatabase(g.db, { migrations });
      // One gateway per control plane: a second one on this file is refused (exit 2).
      const { acquireControlPlane } = await import('../../gateway/control-plane-lease.js');
      let lease: import('../../gateway/control-plane-lease.js').ControlPlaneLease;
      try {
        lease = acquireControlPlane(db, g.db);
      } catch (err) {
        db.close();
        throw err;
      }
      const logDb = config.requestLog.path ? openDatabase(resolve(loaded.dir, config.requestLog.path), { migrations }) : db;
      const routeDecider = Object.values(config.deployments).some((d) => d.kind === 'routed') ? await loadRouteDecider(loaded) : undefined;
      // Router upgrade path: fast-tier answers failing cheap checks are retried on the powerful tier.
      const fastAnswerCheck = routeDecider ? (await import('../../router/gateway-hooks.js')).fastAnswerCheckFrom(loaded) : undefined;
      const onlineOptions = { ...(online ? { judge: online.judge } : {}), onlineShare: canary.onlineShare, onlineQueueCapacity: canary.onlineQueueCapacity, onlineConcurrency: canary.onlineConcurrency };
      // Canaries: controller, online evaluation and the /admin/…/canary routes.
      const { canarySetup } = await import('../../canary/gateway-setup.js');
      const setup = canarySetup({ policy: canary.policy, db, ...onlineOptions });
      // A/B experiments: engine on the event bus and the /admin/…/experiment routes.
      const { experimentSetup } = await import('../../experiment/gateway-wiring.js');
      let engine: import('../../experiment/engine.js').ExperimentEngine | undefined;
      const experiments = experimentSetup({ db, ...onlineOptions, onAttached: (e) => (engine = e) });
      const setupAll = async (rt: import('../../gateway/runtime.js').GatewayRuntime) => {
        await setup(rt);
        await experiments(rt);
      };
      const running = await startGateway({ config, db, requestLogDb: logDb, host, setup: setupAll, ...(opts.port === undefined ? {} : { port: opts.port }), logger: createJsonLogger(), ...(routeDecider ? { routeDecider } : {}), ...(fastAnswerCheck ? { fastAnswerCheck } : {}) });
      info(`llmops gateway listening on ${running.url}  (OpenAI base URL ${running.url}/v1, metrics ${running.url}/metrics)`);
      if (online) {
        info(`online evaluation: ${+(canary.onlineShare * 100).toFixed(2)}% of answers judged by ${online.ref}` +
          (online.synthetic ? ' (the sim judge: heuristic scores, not a model; set canary.onlineEval.judge to a model)' : ''));
      }
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          info(`${signal}: draining in-flight requests (up to ${config.shutdownGraceMs} ms)…`);
          void running.shutdown().then(({ drained }) => {
            engine?.stop(); // last decision and flush of experiment tallies before the database closes
            if (logDb !== db) logDb.close();
            lease.release();
            db.close();
            info(drained ? 'Gateway stopped cleanly.' : 'Gateway stopped (drain deadline reached; remaining connections closed).');
            done();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}

/** The router's classifier for routed deployments (src/router), with the `router:` policy. */
async function loadRouteDecider(loaded: Awaited<ReturnType<typeof loadConfigFor>>) {
  const { routingPolicyFrom } = await import('../../router/config.js');
  const { loadModel } = await import('../../router/load-model.js');
  const { createRouteDecider } = await import('../../router/decide.js');
  const { policy, modelFile } = routingPolicyFrom(loaded);
  return createRouteDecider(loadModel(modelFile), policy);
}
