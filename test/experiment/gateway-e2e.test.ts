import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExperimentStatusView } from '../../src/experiment/view.js';
import type { OnlineJudge } from '../../src/online-eval/types.js';
import { abGateway, chat, driveUsers, feedback, simConfig, status, TOKEN, type TestGateway } from './gateway-helpers.js';

// A real gateway with SIMULATED upstreams, real HTTP clients, the real admin API; durations in
// seconds and a 100 ms decision tick so an experiment runs in a few seconds.
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function gateway(config: Record<string, unknown>, opts: Parameters<typeof abGateway>[1] = {}): Promise<TestGateway> {
  const t = await abGateway(config, opts);
  cleanup.push(() => t.close());
  return t;
}

describe('A/B experiment end to end', () => {
  it('reaches a significant winner only after the minimum samples and duration, then promotes it', async () => {
    const t = await gateway(simConfig());
    const started = await t.admin.experiment<ExperimentStatusView>('chat', 'start', { variants: { A: 'small', B: 'large' }, metric: 'thumbs_up', minSamples: 300, minDuration: '3s' });
    expect(started.decision.state).toBe('collecting');
    const t0 = Date.now();
    const looks: ExperimentStatusView[] = [];
    let significant: ExperimentStatusView | undefined;
    const poll = (async () => {
      while (!significant && Date.now() - t0 < 20_000) {
        const s = await status(t);
        looks.push(s);
        if (s.decision.state === 'significant') significant = s;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await driveUsers(t.gw.url, { upRate: { baseline: 0.45, B: 0.75 }, done: () => significant !== undefined, maxMs: 20_000 });
    await poll;
    expect(significant, 'no significant result within 20 s').toBeDefined();
    const s = significant!;
    expect(s.decision.winner).toBe('B');
    expect(s.decision.progress.samples.A).toBeGreaterThanOrEqual(300);
    expect(s.decision.progress.samples.B).toBeGreaterThanOrEqual(300);
    expect(s.decision.progress.elapsedMs).toBeGreaterThanOrEqual(3000);
    expect(s.decision.srm.flagged).toBe(false);
    expect(s.assignmentFlips).toBe(0);
    // The evidence was there earlier, but the decision was withheld until the horizon.
    const earlyEvidence = looks.find((l) => l.decision.state === 'collecting' && l.decision.primary.sequentialP < 0.05);
    expect(earlyEvidence, 'expected a look with p < 0.05 before the horizon').toBeDefined();
    expect(earlyEvidence!.decision.withheld).toBe(true);
    expect(looks.every((l) => l === s || l.decision.state !== 'significant')).toBe(true);

    // Stop with the winner: B is promoted through the registry (it becomes the baseline).
    const stopped = await t.admin.experiment<ExperimentStatusView>('chat', 'stop', { winner: 'B' });
    expect(stopped).toMatchObject({ status: 'stopped', outcome: { kind: 'winner', winner: 'B' } });
    const d = t.gw.runtime.registry.get('chat')!;
    expect(d.status).toBe('promoted');
    expect(d.variants.find((v) => v.role === 'baseline')).toMatchObject({ name: 'B', upstream: 'large', weightBp: 10_000 });
    const types = (await t.admin.events({ deployment: 'chat', limit: 100 })).events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['experiment_started', 'experiment_collecting', 'experiment_significant', 'promote', 'experiment_stopped']));
    expect((await chat(t.gw.url, 'user-1')).variant).toBe('B');
  });

  it('refuses a winner the data does not support, unless forced; routes are in the OpenAPI document', async () => {
    const t = await gateway(simConfig());
    const doc = await fetch(`${t.gw.url}/admin/openapi.json`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.json() as Promise<{ paths: Record<string, unknown> }>);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/admin/experiments', '/admin/deployments/{d}/experiment', '/admin/deployments/{d}/experiment/stop']));
    await expect(t.admin.experiment('chat', 'status')).rejects.toThrow(/no experiment on deployment "chat"/);
    await t.admin.experiment('chat', 'start', { variants: { A: 'small', B: 'large' }, minSamples: 1000, minDuration: '7d' });
    await expect(t.admin.experiment('chat', 'stop', { winner: 'B' })).rejects.toThrow(/does not support B as the winner \(collecting/);
    const forced = await t.admin.experiment<ExperimentStatusView>('chat', 'stop', { winner: 'A', force: true, reason: 'budget' });
    expect(forced.outcome).toMatchObject({ kind: 'winner', winner: 'A', reason: 'budget' });
    expect(t.gw.runtime.registry.get('chat')!.variants.find((v) => v.name === 'B')!.weightBp).toBe(0);
  });

  it('stops automatically on a degraded guardrail and sends all traffic to the control', async () => {
    const t = await gateway(simConfig(0.4)); // B fails 40% of its requests
    await t.admin.experiment('chat', 'start', { variants: { A: 'small', B: 'large' }, metric: 'thumbs_up', guardrailMinSamples: 50 });
    let s: ExperimentStatusView | undefined;
    await driveUsers(t.gw.url, { upRate: { baseline: 0.5, B: 0.5 }, done: () => t.engine.latest('chat')?.status === 'stopped', maxMs: 20_000 });
    s = await status(t);
    expect(s.status).toBe('stopped');
    expect(s.outcome).toMatchObject({ kind: 'auto_stop' });
    expect(s.outcome!.reason).toMatch(/guardrail error_rate degraded on B/);
    expect(s.decision.state).toBe('stopped');
    expect(t.gw.runtime.registry.get('chat')!.variants.find((v) => v.name === 'B')!.weightBp).toBe(0);
    const events = (await t.admin.events({ deployment: 'chat', limit: 100 })).events;
    const auto = events.find((e) => e.type === 'experiment_auto_stopped');
    expect(auto).toMatchObject({ actor: 'experiment', detail: { guardrails: ['error_rate'] } });
    expect(events.some((e) => e.type === 'rollback' && e.actor === 'experiment')).toBe(true);
    for (let i = 0; i < 20; i++) expect((await chat(t.gw.url, `after-${i}`)).variant).toBe('baseline');
  });

  it('stops on quality judged online: a judge that finds B worse', async () => {
    // An OnlineJudge (the online-evaluation extension point) grading A's answers about 0.8 and B's
    // about 0.5 (each ± 0.1, so the variances are not zero).
    let k = 0;
    const judge: OnlineJudge = { judge: async (item) => ({ quality: (item.variant === 'baseline' ? 0.7 : 0.4) + (k++ % 5) * 0.05 }) };
    const t = await gateway(simConfig(), { judge, onlineShare: 1 });
    await t.admin.experiment('chat', 'start', { variants: { A: 'small', B: 'large' }, metric: 'thumbs_up', guardrailMinSamples: 40 });
    await driveUsers(t.gw.url, { upRate: { baseline: 0.5, B: 0.5 }, done: () => t.engine.latest('chat')?.status === 'stopped', maxMs: 20_000 });
    const s = await status(t);
    expect(s.outcome).toMatchObject({ kind: 'auto_stop' });
    expect(s.outcome!.reason).toMatch(/guardrail quality degraded on B: 0\.[45]\d* vs 0\.[78]\d* on A/);
    expect(s.arms.A.judged).toBeGreaterThanOrEqual(40);
    expect(s.arms.B.judged).toBeGreaterThanOrEqual(40);
  });

  it('flags a sample-ratio mismatch when the split is changed behind the experiment', async () => {
    const t = await gateway(simConfig());
    await t.admin.experiment('chat', 'start', { variants: { A: 'small', B: 'large' }, split: 50 });
    await t.admin.setWeights('chat', { B: 15 }, 'someone edits weights by hand');
    for (let i = 0; i < 400; i++) await chat(t.gw.url, `skew-${i}`);
    t.engine.tick();
    const s = await status(t);
    expect(s.decision.srm.flagged).toBe(true);
    expect(s.decision.srm.pValue).toBeLessThan(0.001);
    expect(s.decision).toMatchObject({ state: 'srm', withheld: true });
  });

  it('counts one rating per answer: the same request rated 5× up then down is one 👎 and one sample', async () => {
    const t = await gateway(simConfig());
    await t.admin.experiment('chat', 'start', { variants: { A: 'small', B: 'large' }, metric: 'thumbs_up' });
    const r = await chat(t.gw.url, 'dup');
    expect(r.status).toBe(200);
    for (let i = 0; i < 5; i++) await feedback(t.gw.url, r.requestId, true);
    await feedback(t.gw.url, r.requestId, false);
    t.engine.tick();
    const s = await status(t);
    const arm = r.variant === 'B' ? 'B' : 'A';
    const other = arm === 'A' ? 'B' : 'A';
    expect(s.arms[arm].thumbs).toEqual({ up: 0, down: 1 });
    expect(s.arms[other].thumbs).toEqual({ up: 0, down: 0 });
    expect(s.decision.progress.samples).toEqual({ [arm]: 1, [other]: 0 });
  });

  it('keeps experiments, tallies and assignments across a gateway restart; users never flip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmops-ab-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'gw.db');
    const first = await abGateway(simConfig(), { dbPath });
    await first.admin.experiment('chat', 'start', { variants: { A: 'small', B: 'large' }, split: 50 });
    const before = new Map<string, string>();
    for (let i = 0; i < 60; i++) before.set(`sticky-${i}`, (await chat(first.gw.url, `sticky-${i}`)).variant);
    expect(new Set(before.values())).toEqual(new Set(['baseline', 'B']));
    const requestsBefore = (await status(first)).arms;
    await first.close();

    const second = await gateway(simConfig(), { dbPath });
    const s0 = await status(second);
    expect(s0.status).toBe('running');
    expect(s0.arms.A.requests + s0.arms.B.requests).toBe(requestsBefore.A.requests + requestsBefore.B.requests);
    for (const [user, variant] of before) expect((await chat(second.gw.url, user)).variant).toBe(variant);
    second.engine.tick();
    const s1 = await status(second);
    expect(s1.assignmentFlips).toBe(0);
    expect(s1.arms.A.units + s1.arms.B.units).toBe(60); // returning users are not new units
    expect(s1.arms.A.requests + s1.arms.B.requests).toBe(120);
  });
});
