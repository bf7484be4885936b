/** A gateway on 127.0.0.1:0 with SIMULATED (type: sim) upstreams and the experiment engine attached. */
import { AdminClient } from '../../src/admin-client/client.js';
import type { ExperimentEngine } from '../../src/experiment/engine.js';
import { experimentSetup } from '../../src/experiment/gateway-wiring.js';
import type { ExperimentStatusView } from '../../src/experiment/view.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import type { OnlineJudge } from '../../src/online-eval/types.js';
import { createRng } from '../../src/stats/index.js';
import { openGatewayDb, startTestGateway } from '../gateway/helpers.js';

export const TOKEN = 'ab-token';

export function simConfig(bErrorRate = 0): Record<string, unknown> {
  const sim = (errorRate: number) => ({ type: 'sim', model: 'sim-model', price: { input: 1, output: 2 }, sim: { errorRate, seed: 7 } });
  return {
    upstreams: { small: sim(0), large: sim(bErrorRate) },
    deployments: { chat: { variants: { baseline: { upstream: 'small', weight: 100 } } } },
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  };
}

export interface TestGateway {
  gw: RunningGateway;
  engine: ExperimentEngine;
  admin: AdminClient;
  close(): Promise<void>;
}

export async function abGateway(config: Record<string, unknown>, opts: { dbPath?: string; tickMs?: number; judge?: OnlineJudge; onlineShare?: number } = {}): Promise<TestGateway> {
  const db = opts.dbPath ? openGatewayDb(opts.dbPath) : undefined;
  let engine: ExperimentEngine | undefined;
  const gw = await startTestGateway(config, {
    env: { LLMOPS_ADMIN_TOKEN: TOKEN }, ...(db ? { db } : {}),
    setup: experimentSetup({ ...(db ? { db } : {}), tickMs: opts.tickMs ?? 100, ...(opts.judge ? { judge: opts.judge, onlineShare: opts.onlineShare ?? 1 } : {}), onAttached: (e) => (engine = e) }),
  });
  let closed = false;
  return {
    gw, engine: engine!, admin: new AdminClient(gw.url, TOKEN, 'test'),
    async close() {
      if (closed) return;
      closed = true;
      await gw.shutdown(100);
      engine!.stop();
      db?.close();
    },
  };
}

export async function chat(url: string, user: string): Promise<{ variant: string; requestId: string; status: number }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'chat', user, messages: [{ role: 'user', content: 'What is 2+2?' }] }),
  });
  await res.arrayBuffer();
  return { variant: res.headers.get('x-llmops-variant') ?? '', requestId: res.headers.get('x-llmops-request-id') ?? '', status: res.status };
}

export async function feedback(url: string, requestId: string, up: boolean): Promise<void> {
  const res = await fetch(`${url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: requestId, rating: up ? 'up' : 'down' }) });
  await res.arrayBuffer();
}

/**
 * Simulated users: each request is rated, thumbs-up with the probability of the variant that
 * answered (users like B better when upB > upA). Runs `workers` loops until `done()`.
 */
export async function driveUsers(url: string, o: { upRate: Record<string, number>; done: () => boolean; maxMs: number; workers?: number; users?: number; seed?: string }): Promise<number> {
  const rng = createRng(o.seed ?? 'users');
  const start = Date.now();
  let n = 0;
  const worker = async () => {
    while (!o.done() && Date.now() - start < o.maxMs) {
      const i = n++;
      const r = await chat(url, `user-${o.users === undefined ? i : i % o.users}`);
      if (r.status === 200 && o.upRate[r.variant] !== undefined) await feedback(url, r.requestId, rng.next() < o.upRate[r.variant]!);
    }
  };
  await Promise.all(Array.from({ length: o.workers ?? 8 }, worker));
  return n;
}

export const status = (t: TestGateway) => t.admin.experiment<ExperimentStatusView>('chat', 'status');
