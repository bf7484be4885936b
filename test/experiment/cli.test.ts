import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { ExperimentStatusView } from '../../src/experiment/view.js';
import { cliPath, runCliAsync } from '../support/cli.js';
import { abGateway, chat, TOKEN, simConfig, type TestGateway } from './gateway-helpers.js';

// The built CLI (npm run build) against a real gateway started here; spawned asynchronously so
// this process keeps serving the gateway while the CLI talks to it.
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runCliAsync(args, { env: { LLMOPS_ADMIN_TOKEN: TOKEN, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error('run `npm run build` first');
});

describe('llmops ab (built CLI against a live gateway)', () => {
  it('start, status (text and --json), watch lines, stop', async () => {
    t = await abGateway(simConfig());
    const gw = ['--gateway', t.gw.url];
    const started = await run([...gw, 'ab', 'start', 'chat', '--variant', 'A=small', '--variant', 'B=large', '--split', '80/20', '--metric', 'task_success', '--min-samples', '50', '--min-duration', '30s', '--guardrail', 'cost=0.5', '--guardrail', 'error_rate=0.05']);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stderr).toMatch(/A\/B experiment chat-1 started on chat: A=small 80%, B=large 20%/);
    expect(started.stdout).toContain('Decision: COLLECTING (decision withheld)');
    for (let i = 0; i < 100; i++) await chat(t.gw.url, `cli-${i}`);
    t.engine.tick();

    const text = await run([...gw, 'ab', 'status', 'chat']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Primary task_success \(higher is better\): A 1\.00 \(n=\d+\)  B 1\.00 \(n=\d+\)/);
    expect(text.stdout).toMatch(/Sample ratio: \d+ \/ \d+ users for 80\/20, chi-square p=[\d.e-]+  ok/);
    expect(text.stdout).toContain('ran ');

    const json = await run([...gw, '--json', 'ab', 'status', 'chat']);
    const v = JSON.parse(json.stdout) as ExperimentStatusView;
    expect(v.spec).toMatchObject({ splitB: 20, primary: 'task_success', minSamples: 50, minDurationMs: 30_000, guardrails: [{ metric: 'cost', margin: 0.5 }, { metric: 'error_rate', margin: 0.05 }] });
    expect(v.arms.A.requests + v.arms.B.requests).toBe(100);
    expect(json.stderr).toBe('');

    const refused = await run([...gw, 'ab', 'stop', 'chat', '--winner', 'B']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/does not support B as the winner/);

    const stopped = await run([...gw, 'ab', 'stop', 'chat', '--reason', 'enough']);
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('experiment stopped; all traffic on A (small)');
    const watch = await run([...gw, 'ab', 'watch', 'chat', '--interval', '0.1']);
    expect(watch.code).toBe(0);
    expect(watch.stdout.trim().split('\n')).toHaveLength(1); // stopped: one line, then exit
    expect(watch.stdout).toMatch(/ chat stopped task_success A=1\.00/);
  });

  it('usage errors exit 2 before any request; a missing token is refused', async () => {
    t = await abGateway(simConfig());
    const gw = ['--gateway', t.gw.url];
    const bad = await run([...gw, 'ab', 'start', 'chat', '--variant', 'A=small', '--variant', 'B=large', '--split', '60/50']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/A\/B percentages summing to 100/);
    const badGuard = await run([...gw, 'ab', 'start', 'chat', '--variant', 'A=small', '--variant', 'B=large', '--guardrail', 'speed=2']);
    expect(badGuard.code).toBe(2);
    expect(badGuard.stderr).toMatch(/METRIC=MARGIN with METRIC one of/);
    const missing = await run([...gw, 'ab', 'start', 'chat', '--variant', 'A=small']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/both --variant A=<model> and --variant B=<model> are required/);
    const wrongControl = await run([...gw, 'ab', 'start', 'chat', '--variant', 'A=large', '--variant', 'B=small']);
    expect(wrongControl.code).toBe(2);
    expect(wrongControl.stderr).toMatch(/variant A is the control and must be the deployment's current model "small"/);
    const noToken = await run([...gw, 'ab', 'status', 'chat'], { LLMOPS_ADMIN_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(t.engine.list()).toHaveLength(0);
  });

  it('ab start --help shows the README defaults; --min-days with --min-duration is a usage error', async () => {
    const help = await run(['ab', 'start', '--help']);
    expect(help.code).toBe(0);
    const flat = help.stdout.replace(/\s+/g, ' ');
    expect(flat).not.toContain('(default: {})');
    expect(flat).toMatch(/--split <A\/B> traffic split in percent \(default: 50\/50\)/);
    expect(flat).toMatch(/--min-days <n> days before any conclusion \(weekly patterns\) \(default: 7\)/);
    expect(flat).toMatch(/--guardrail-min-samples <n> .*\(default: 100\)/);
    expect(flat).toContain('(default: error_rate=0.02 quality=0.05 latency=0.5 hallucination=0.03)');

    t = await abGateway(simConfig());
    const both = await run(['--gateway', t.gw.url, 'ab', 'start', 'chat', '--variant', 'A=small', '--variant', 'B=large', '--min-days', '2', '--min-duration', '5m']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/option '--min-days <n>' cannot be used with option '--min-duration <d>'/);
    expect(t.engine.list()).toHaveLength(0);
    // The defaults the help shows are what is sent.
    const started = await run(['--gateway', t.gw.url, '--json', 'ab', 'start', 'chat', '--variant', 'A=small', '--variant', 'B=large']);
    expect(started.code, started.stderr).toBe(0);
    expect((JSON.parse(started.stdout) as ExperimentStatusView).spec).toMatchObject({ splitB: 50, minSamples: 1000, minDurationMs: 7 * 86_400_000, guardrailMinSamples: 100, alpha: 0.05 });
  });
});
