import { InvalidArgumentError, type Command } from 'commander';
import { info, printResult } from '../output.js';

/** Seconds ≥ 0 (commander turns the InvalidArgumentError into a usage error, exit 2). */
function parseSeconds(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number of seconds ≥ 0, e.g. 25');
  return n;
}

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('self-contained demos on 127.0.0.1 with SIMULATED models');
  demo
    .command('canary')
    .description('a gateway with a simulated candidate that degrades after a while: watch the controller catch it and roll it back')
    .option('--degrade-after <seconds>', 'when the candidate starts failing', parseSeconds, 25)
    .action(async (opts: { degradeAfter: number }) => {
      const { startDemoUpstream, DEMO_CONTEXT, DEMO_QUESTION } = await import('../../canary/demo-upstream.js');
      const { JudgeOnline } = await import('../../online-eval/judge-online.js');
      const { SimJudge } = await import('../../judge/sim.js');
      const { parseGatewayConfig } = await import('../../gateway/config.js');
      const { startGateway } = await import('../../gateway/server.js');
      const { canarySetup } = await import('../../canary/gateway-setup.js');
      const { defaultPolicy } = await import('../../canary/policy.js');
      const { parsePlan } = await import('../../canary/plan.js');
      const { formatStatusLine } = await import('../../canary/view-model.js');
      const up = await startDemoUpstream({ degradeAfterMs: opts.degradeAfter * 1000, errorRate: 0.15 });
      const upstream = (path: string) => ({ type: 'openai', baseURL: `${up.url}/${path}/v1`, model: `demo-${path} (simulated)`, price: { input: 0.15, output: 0.6 } });
      const config = parseGatewayConfig({
        upstreams: { stable: upstream('stable'), candidate: upstream('candidate') },
        deployments: { chat: { variants: { baseline: { upstream: 'stable', weight: 100 } } } },
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
      let wiring: import('../../canary/gateway-wiring.js').CanaryWiring | undefined;
      const policy = defaultPolicy({ windowsMs: [10_000, 30_000], intervalMs: 1000, minRequests: 30, minJudged: 20 });
      // Half of the answers go to the (simulated) judge, so quality and hallucination fill in.
      const judge = new JudgeOnline(new SimJudge());
      const gw = await startGateway({ config, host: '127.0.0.1', port: 0, env: {}, setup: canarySetup({ policy, judge, onlineShare: 0.5, onAttached: (w) => (wiring = w) }) });
      const controller = wiring!.controller;
      controller.start({ deployment: 'chat', candidate: 'candidate', plan: parsePlan('10:10s,30:15s,50:1m,100') });
      info(`demo gateway on ${gw.url} (simulated upstreams); the candidate degrades after ${opts.degradeAfter}s`);
      let stop = false;
      let i = 0;
      // 50 requests/s from many users.
      const traffic = setInterval(() => {
        for (let k = 0; k < 5; k++) {
          const user = `user-${i++ % 5000}`;
          void fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', user, messages: [{ role: 'user', content: DEMO_QUESTION }], metadata: { context: DEMO_CONTEXT } }) })
            .then((r) => r.arrayBuffer()).catch(() => undefined);
        }
      }, 100);
      const ended = () => ['rolled_back', 'aborted', 'completed'].includes(controller.status('chat').phase);
      try {
        if (process.stdout.isTTY && process.stdin.isTTY) {
          const { render } = await import('ink');
          const { createElement } = await import('react');
          const { CanaryDashboard } = await import('../../ui/canary-dashboard.js');
          const app = render(createElement(CanaryDashboard, {
            initial: controller.status('chat'), intervalMs: 1000,
            poll: () => Promise.resolve(controller.status('chat')),
            act: (a) => Promise.resolve(a === 'promote' ? controller.promote('chat') : a === 'rollback' ? controller.rollback('chat', 'from the dashboard') : a === 'pause' ? controller.pause('chat') : controller.resume('chat')),
          }));
          await app.waitUntilExit();
        } else {
          const { setTimeout: sleep } = await import('node:timers/promises');
          while (!stop) {
            printResult(formatStatusLine(controller.status('chat')));
            if (ended()) stop = true;
            else await sleep(2000);
          }
        }
      } finally {
        clearInterval(traffic);
        wiring?.stop();
        await gw.shutdown(500);
        await up.close();
      }
    });
}
