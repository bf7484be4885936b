import { afterEach, describe, expect, it } from 'vitest';
import { ExperimentEngine } from '../../src/experiment/engine.js';
import { experimentMigrations, MemoryExperimentStore, SqliteExperimentStore, type ExperimentStore } from '../../src/experiment/store.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { GatewayEvents, type RequestCompletedEvent } from '../../src/gateway/events.js';
import { DeploymentRegistry } from '../../src/gateway/registry.js';
import { MemoryGatewayStateStore } from '../../src/gateway/state-store.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { simConfig } from './gateway-helpers.js';

// The engine without HTTP: the real registry and event bus, an injected clock, a memory or
// SQLite (":memory:") store.
let clock = 1_000_000;
const now = () => clock;
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  clock = 1_000_000;
});

function setup(store: ExperimentStore = new MemoryExperimentStore()) {
  const config = parseGatewayConfig(simConfig());
  const events = new GatewayEvents();
  const registry = new DeploymentRegistry(config, new MemoryGatewayStateStore(), events, now);
  const engine = new ExperimentEngine({ registry, events, store, now, random: () => 0.5, upstreamExists: (u) => u in config.upstreams });
  return { registry, events, engine, store };
}

function request(variant: string, user: string, over: Partial<RequestCompletedEvent> = {}): RequestCompletedEvent {
  return {
    requestId: `r-${Math.random()}`, time: clock, deployment: 'chat', variant, upstream: variant === 'B' ? 'large' : 'small', tenant: 't', userHash: user,
    status: 200, outcome: 'ok', latencyMs: 100, ttftMs: null, inputTokens: 10, outputTokens: 10, costUsd: 0.001, cached: false, stream: false, messages: [], responseText: 'ok', ...over,
  };
}

const START = { variants: { A: 'small', B: 'large' }, minSamples: 10, minDuration: '60s' };

describe('ExperimentEngine', () => {
  it('refuses starts it cannot defend, naming the fix', () => {
    const { engine, registry } = setup();
    expect(() => engine.start('nope', START, 'me')).toThrow(/unknown deployment "nope"/);
    expect(() => engine.start('chat', { variants: { A: 'large', B: 'small' } }, 'me')).toThrow(/variant A is the control and must be the deployment's current model "small"/);
    expect(() => engine.start('chat', { variants: { A: 'small', B: 'ghost' } }, 'me')).toThrow(/unknown upstream "ghost"/);
    expect(() => engine.start('chat', { variants: { A: 'small', B: 'small' } }, 'me')).toThrow(/same model/);
    expect(() => engine.start('chat', { variants: { A: 'small', B: 'large' }, split: 100 }, 'me')).toThrow();
    expect(() => engine.start('chat', { variants: { A: 'small', B: 'large' }, metric: 'quality' }, 'me')).toThrow(/quality needs online evaluation, which is off/);
    registry.setVariant('chat', { name: 'canary', upstream: 'large', weightPercent: 5 }, { actor: 'canary', upstreamExists: () => true });
    expect(() => engine.start('chat', START, 'me')).toThrow(/already splits traffic to canary/);
  });

  it('sets the split through the registry and refuses a second experiment', () => {
    const { engine, registry } = setup();
    const r = engine.start('chat', { ...START, split: 20 }, 'me');
    expect(r.variantNames).toEqual({ A: 'baseline', B: 'B' });
    expect(registry.get('chat')!.variants.map((v) => [v.name, v.upstream, v.weightBp])).toEqual([['baseline', 'small', 8000], ['B', 'large', 2000]]);
    expect(() => engine.start('chat', START, 'me')).toThrow(/already running on chat/);
    expect(registry.listEvents({ deployment: 'chat' }).map((e) => e.type)).toEqual(['variant_set', 'weights_set', 'experiment_started']);
  });

  it('counts users once, anonymous requests each, feedback by variant, and flips', () => {
    const { engine, events } = setup();
    engine.start('chat', START, 'me');
    events.emit('request', request('baseline', 'u1'));
    events.emit('request', request('baseline', 'u1'));
    events.emit('request', request('B', 'u2', { outcome: 'error', status: 502 }));
    events.emit('request', request('B', 'anonymous'));
    events.emit('request', request('B', 'anonymous'));
    events.emit('request', request('B', 'u1')); // u1 started on A: a flip (must never happen with a sticky split)
    events.emit('request', request('other', 'u3')); // not an arm of the experiment
    events.emit('feedback', { requestId: 'x', rating: 'up', deployment: 'chat', variant: 'B', tenant: 't', time: clock });
    events.emit('feedback', { requestId: 'y', rating: 'down', deployment: 'chat', variant: 'baseline', tenant: 't', time: clock });
    const r = engine.latest('chat')!;
    expect(r.tallies.A).toMatchObject({ requests: 2, units: 1, thumbsDown: 1 });
    expect(r.tallies.B).toMatchObject({ requests: 4, errors: 1, units: 3, thumbsUp: 1 });
    expect(r.tallies.B.latency.n).toBe(3);
    expect(r.flips).toBe(1);
  });

  it('counts one rating per answer: a later rating replaces the earlier one if this experiment counted it', () => {
    const { engine, events } = setup();
    const before = { rating: 'up' as const, time: clock - 1 }; // rated before the experiment started
    engine.start('chat', START, 'me');
    const rate = (rating: 'up' | 'down', replaces?: { rating: 'up' | 'down'; time: number }) =>
      events.emit('feedback', { requestId: 'dup', rating, deployment: 'chat', variant: 'baseline', tenant: 't', time: clock, replaces });
    rate('up');
    for (let i = 0; i < 4; i++) rate('up', { rating: 'up', time: clock });
    rate('down', { rating: 'up', time: clock });
    expect(engine.latest('chat')!.tallies.A).toMatchObject({ thumbsUp: 0, thumbsDown: 1 });
    events.emit('feedback', { requestId: 'old', rating: 'down', deployment: 'chat', variant: 'baseline', tenant: 't', time: clock, replaces: before });
    expect(engine.latest('chat')!.tallies.A).toMatchObject({ thumbsUp: 0, thumbsDown: 2 });
  });

  it('records decision changes as events, and stops to the control on a guardrail', () => {
    const { engine, events, registry } = setup();
    engine.start('chat', { ...START, guardrailMinSamples: 50 }, 'me');
    engine.tick();
    for (let i = 0; i < 300; i++) {
      events.emit('request', request('baseline', `a${i}`));
      events.emit('request', request('B', `b${i}`, i % 3 === 0 ? { outcome: 'error', status: 502 } : {}));
    }
    clock += 1000;
    engine.tick();
    const r = engine.latest('chat')!;
    expect(r.status).toBe('stopped');
    expect(r.outcome).toMatchObject({ kind: 'auto_stop', at: clock });
    expect(registry.get('chat')!.variants.find((v) => v.name === 'B')!.weightBp).toBe(0);
    const types = registry.listEvents({ deployment: 'chat' }).map((e) => e.type);
    expect(types.slice(-3)).toEqual(['experiment_collecting', 'rollback', 'experiment_auto_stopped']);
    // stopped: events no longer count
    events.emit('request', request('baseline', 'late'));
    expect(engine.latest('chat')!.tallies.A.requests).toBe(300);
  });

  it('persists records and assignments in SQLite and resumes them in a new engine', () => {
    const db = openDatabase(':memory:', { migrations: [{ component: 'experiment', steps: experimentMigrations }] });
    dbs.push(db);
    const store = new SqliteExperimentStore(db);
    const first = setup(store);
    first.engine.start('chat', START, 'me');
    first.events.emit('request', request('baseline', 'u1'));
    first.events.emit('request', request('B', 'u2'));
    first.engine.stop();
    expect(store.loadAssignments(first.engine.latest('chat')!.id).map((a) => [a.userHash, a.arm]).sort()).toEqual([['u1', 'A'], ['u2', 'B']]);

    const second = setup(store);
    const resumed = second.engine.latest('chat')!;
    expect(resumed).toMatchObject({ status: 'running', tallies: { A: { requests: 1, units: 1 }, B: { requests: 1, units: 1 } } });
    second.events.emit('request', request('baseline', 'u1')); // a returning user is not a new unit
    expect(second.engine.latest('chat')!.tallies.A.units).toBe(1);
    second.engine.stop();
  });

  it('ends when the deployment is rolled back or promoted outside the experiment', () => {
    const { engine, registry } = setup();
    engine.start('chat', START, 'me');
    registry.rollback('chat', { actor: 'oncall', reason: 'incident 42' });
    expect(engine.latest('chat')).toMatchObject({ status: 'stopped', outcome: { kind: 'manual', reason: 'deployment rolled back outside the experiment by oncall: incident 42' } });
    expect(registry.listEvents({ deployment: 'chat' }).at(-1)).toMatchObject({ type: 'experiment_stopped', actor: 'oncall' });
  });

  it('stop: winner B is promoted; without a winner all traffic returns to A', () => {
    const a = setup();
    a.engine.start('chat', START, 'me');
    a.engine.stopExperiment('chat', { winner: 'B', force: true }, 'me');
    expect(a.registry.get('chat')!.variants.find((v) => v.role === 'baseline')!.name).toBe('B');
    expect(a.registry.listEvents({ deployment: 'chat' }).at(-1)).toMatchObject({ type: 'experiment_stopped', detail: { winner: 'B', forced: true } });
    expect(() => a.engine.stopExperiment('chat', {}, 'me')).toThrow(/no experiment is running on chat/);

    // the next experiment on the promoted deployment: B is now the control
    clock += 1000;
    const next = a.engine.start('chat', { variants: { A: 'large', B: 'small' } }, 'me');
    expect(next.variantNames).toEqual({ A: 'B', B: 'B2' });
    expect(a.registry.get('chat')!.variants.filter((v) => v.weightBp > 0).map((v) => [v.name, v.upstream, v.weightBp])).toEqual([['B', 'large', 5000], ['B2', 'small', 5000]]);

    const b = setup();
    b.engine.start('chat', START, 'me');
    const { record } = b.engine.stopExperiment('chat', { reason: 'budget' }, 'me');
    expect(record.outcome).toMatchObject({ kind: 'manual', reason: 'budget' });
    expect(b.registry.get('chat')).toMatchObject({ status: 'rolled_back' });
  });
});
