/**
 * Online evaluation with a real judge model: `gateway start` (built CLI) with
 * `canary.onlineEval.judge` naming a `models:` entry. The upstreams and the judge are one
 * OpenAI-wire server on 127.0.0.1; the judge's verdicts must reach the canary's windows.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanaryStatusView } from '../../src/canary/status-view.js';
import { runCli, startGatewayCli } from '../support/cli.js';
import { startOpenAIServer, type RecordedRequest, type WireReply, type WireServer } from '../support/wire/openai-server.js';

const TOKEN = 'online-judge-token';
const CONTEXT = 'Six times seven is 42.';
let dir: string;
let wire: WireServer;
let child: ChildProcess;
let url: string;
let stderr: () => string;

const textOf = (r: RecordedRequest) => JSON.stringify(r.body.messages ?? []);

/**
 * Upstream answers by model, each one different (identical judge calls would be served from the
 * judge's cache); judge calls get verdicts that depend on the answer judged.
 */
function answer(r: RecordedRequest): WireReply {
  const model = String(r.body.model);
  if (model === 'stable-model') return { text: `Six times seven is 42. (answer ${r.index})` };
  if (model === 'cand-model') return { text: `Six times seven is 48. (answer ${r.index})` };
  const wrong = textOf(r).includes('48');
  if (textOf(r).includes('You check answers for hallucinations')) {
    return { text: JSON.stringify({ claims: [{ claim: wrong ? 'Six times seven is 48.' : 'Six times seven is 42.', supported: !wrong }] }) };
  }
  return { text: JSON.stringify({ reason: wrong ? 'wrong product' : 'correct', score: wrong ? 1 : 5 }) };
}

beforeAll(async () => {
  wire = await startOpenAIServer({ handler: answer });
  dir = mkdtempSync(join(tmpdir(), 'llmops-online-judge-'));
  writeFileSync(join(dir, 'llmops.yaml'), `
models:
  judge-model: { provider: openai, model: judge-v1, baseURL: "${wire.url}", apiKeyEnv: JUDGE_KEY, maxRetries: 0, price: { input: 1, output: 2 } }
gateway:
  upstreams:
    stable: { type: openai, baseURL: "${wire.url}", model: stable-model }
    cand: { type: openai, baseURL: "${wire.url}", model: cand-model }
  deployments:
    chat: { variants: { baseline: { upstream: stable, weight: 100 } } }
canary:
  intervalMs: 300
  windowsMs: [30000, 60000]
  onlineEval: { share: 1, judge: judge-model, concurrency: 8 }
`);
  const gw = await startGatewayCli(['--db', join(dir, 'gw.db'), 'gateway', 'start', '--port', '0'], {
    cwd: dir, env: { LLMOPS_ADMIN_TOKEN: TOKEN, JUDGE_KEY: 'judge-key' }, ready: (err) => err.includes('online evaluation'),
  });
  ({ child, url, stderr } = gw);
});

afterAll(async () => {
  if (child?.exitCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  await wire?.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${url}/admin/deployments/chat${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });

describe('online evaluation with a judge model (gateway start)', () => {
  it('says which judge it uses, sends it the live answers with their context, and the verdicts reach the canary per variant', async () => {
    expect(stderr()).toContain('online evaluation: 100% of answers judged by judge-model\n');
    expect((await admin('/canary', { method: 'POST', body: JSON.stringify({ candidate: 'cand', stages: '50:1h,100' }) })).status).toBe(201);
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat', user: `user-${i}`, messages: [{ role: 'user', content: 'What is 6 × 7?' }], metadata: { context: CONTEXT } }),
      });
      expect(r.status).toBe(200);
    }
    let view: CanaryStatusView | undefined;
    for (let tries = 0; tries < 100; tries++) {
      view = (await (await admin('/canary')).json()) as CanaryStatusView;
      const w = view.windows[0];
      if (w && w.baseline.quality.n + w.candidate.quality.n === 40) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const w = view!.windows[0]!;
    expect(w.baseline.quality.n + w.candidate.quality.n).toBe(40);
    expect(w.baseline.quality.n).toBeGreaterThan(0);
    expect(w.candidate.quality.n).toBeGreaterThan(0);
    // Score 5 of 1..5 → 1, score 1 → 0; the wrong answers' claim is unsupported.
    expect(w.baseline.quality.mean).toBe(1);
    expect(w.candidate.quality.mean).toBe(0);
    expect(w.baseline.hallucination).toEqual({ n: w.baseline.quality.n, count: 0 });
    expect(w.candidate.hallucination).toEqual({ n: w.candidate.quality.n, count: w.candidate.quality.n });
    // The judge got the request's context and the answer, under its own model and key.
    const judged = wire.requests.filter((r) => r.body.model === 'judge-v1');
    expect(judged).toHaveLength(80); // a grade and a claims check per answer
    expect(judged.every((r) => r.headers.authorization === 'Bearer judge-key')).toBe(true);
    expect(judged.every((r) => textOf(r).includes(CONTEXT))).toBe(true);
    // What judging cost, on /metrics: 80 calls, their tokens, and USD at the judge's price ($1 / $2 per 1M tokens).
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const value = (re: RegExp) => Number(re.exec(metrics)?.[1]);
    expect(value(/^llmops_online_eval_judge_calls_total\{deployment="chat"\} (\S+)$/m)).toBe(80);
    const input = value(/^llmops_online_eval_judge_tokens_total\{deployment="chat",direction="input"\} (\S+)$/m);
    const output = value(/^llmops_online_eval_judge_tokens_total\{deployment="chat",direction="output"\} (\S+)$/m);
    expect(input).toBeGreaterThan(80);
    expect(output).toBeGreaterThan(80);
    expect(value(/^llmops_online_eval_judge_cost_usd_total\{deployment="chat"\} (\S+)$/m)).toBeCloseTo((input * 1 + output * 2) / 1e6, 12);
  }, 60_000);
});

describe('a failing judge (gateway start)', () => {
  it('never fails the requests; its failures are counted in /metrics and logged, throttled', async () => {
    wire.setHandler((r) => (r.body.model === 'judge-v1' ? { status: 500 } : answer(r)));
    for (let i = 0; i < 10; i++) {
      const r = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat', user: `late-${i}`, messages: [{ role: 'user', content: 'What is 6 × 7?' }], metadata: { context: CONTEXT } }),
      });
      expect(r.status).toBe(200);
    }
    let failed = 0;
    for (let tries = 0; tries < 100 && failed < 10; tries++) {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      failed = Number(/^llmops_online_eval_failed_total\{deployment="chat"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
      if (failed < 10) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed).toBe(10);
    const warnings = stderr().split('\n').filter((l) => l.includes('judge call failed')).map((l) => JSON.parse(l) as { level: string; msg: string; count: number });
    expect(warnings).toHaveLength(1); // ten failures within a minute: one line
    expect(warnings[0]).toMatchObject({ level: 'warn', msg: 'online evaluation (canary): judge call failed', count: 1 });
  }, 60_000);
});

describe('canary.onlineEval.judge input errors (exit 2 before anything starts)', () => {
  const attempt = (yaml: string, env: Record<string, string> = {}) => {
    const d = mkdtempSync(join(tmpdir(), 'llmops-online-judge-bad-'));
    try {
      writeFileSync(join(d, 'llmops.yaml'), yaml);
      const r = runCli(['--db', join(d, 'gw.db'), 'gateway', 'start', '--port', '0'], { cwd: d, env: { LLMOPS_ADMIN_TOKEN: TOKEN, ...env } });
      return { ...r, files: readdirSync(d) };
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  };
  const GATEWAY = `gateway:
  upstreams: { a: { type: sim, model: a } }
  deployments: { chat: { variants: { baseline: { upstream: a, weight: 100 } } } }
`;

  it('an unknown judge model names the file, line and key', () => {
    const r = attempt(`${GATEWAY}canary:\n  onlineEval:\n    share: 0.1\n    judge: no-such-model\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/llmops\.yaml:7:\d+.*canary\.onlineEval\.judge.*unknown model 'no-such-model'/);
    expect(r.files).toEqual(['llmops.yaml']); // no database opened
  });

  it('a judge model whose API key is not set names the variable', () => {
    const r = attempt(`models:\n  j: { provider: openai, model: j, apiKeyEnv: MY_JUDGE_KEY }\n${GATEWAY}canary:\n  onlineEval: { share: 0.1, judge: j }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MY_JUDGE_KEY');
    expect(r.files).toEqual(['llmops.yaml']);
  });

  it('with online evaluation off, a judge.model whose key is missing does not stop the gateway', async () => {
    const d = mkdtempSync(join(tmpdir(), 'llmops-online-judge-off-'));
    writeFileSync(join(d, 'llmops.yaml'), `models:\n  j: { provider: openai, model: j, apiKeyEnv: MY_JUDGE_KEY }\njudge: { model: j }\n${GATEWAY}`);
    try {
      const gw = await startGatewayCli(['--db', join(d, 'gw.db'), 'gateway', 'start', '--port', '0'], { cwd: d, env: { LLMOPS_ADMIN_TOKEN: TOKEN } });
      gw.child.kill('SIGKILL');
      expect(gw.stderr()).not.toContain('online evaluation');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 30_000);
});
