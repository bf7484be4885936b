/**
 * Runs A/B experiments inside the gateway. Request and feedback events (the gateway's event
 * bus) feed per-arm tallies in memory; a tick decides (pure `decide`), persists the tallies and
 * new assignments in one batch, records decision changes as audit events, and stops the
 * experiment (all traffic to A, the control) when a guardrail degrades. Traffic moves only
 * through the DeploymentRegistry, like a canary.
 */
import { NotFoundError, UsageError } from '../errors.js';
import type { GatewayEvents } from '../gateway/events.js';
import type { DeploymentRegistry } from '../gateway/registry.js';
import { decide, type Decision } from './decide.js';
import { specFromBody, StartExperimentBody, StopExperimentBody } from './start-request.js';
import type { Assignment, ExperimentStore } from './store.js';
import { addFeedback, addJudgement, addRequest, emptyTally, removeFeedback } from './tally.js';
import type { ArmName, ExperimentRecord } from './types.js';

/** Registry variant name of arm B (A is the deployment's baseline variant). */
export const ARM_B_VARIANT = 'B';

interface Running {
  record: ExperimentRecord;
  /** user hash → first arm (loaded from the store after a restart). */
  assignments: Map<string, ArmName>;
  pending: Assignment[];
  byVariant: Map<string, ArmName>;
}

export interface ExperimentEngineOptions {
  registry: DeploymentRegistry;
  events: GatewayEvents;
  store: ExperimentStore;
  upstreamExists: (u: string) => boolean;
  now?: () => number;
  random?: () => number;
  /** How often to decide and persist (default 5 s). */
  tickMs?: number;
  /** Whether online evaluation judges experiment traffic (quality can be the primary metric). */
  judged?: boolean;
}

export class ExperimentEngine {
  private readonly running = new Map<string, Running>();
  private readonly records = new Map<string, ExperimentRecord>();
  private readonly now: () => number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  /** True while the engine itself moves traffic (its own promote/rollback must not end it twice). */
  private acting = false;
  private readonly off: Array<() => void> = [];

  constructor(private readonly o: ExperimentEngineOptions) {
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    for (const r of o.store.loadAll()) {
      this.records.set(r.id, r);
      if (r.status !== 'running') continue;
      const assignments = new Map(o.store.loadAssignments(r.id).map((a) => [a.userHash, a.arm]));
      this.running.set(r.spec.deployment, this.runningOf(r, assignments));
    }
    this.off.push(o.events.on('request', (e) => {
      const run = this.running.get(e.deployment);
      const arm = run?.byVariant.get(e.variant);
      if (!run || !arm) return;
      let newUnit = true;
      if (e.userHash !== 'anonymous') {
        const first = run.assignments.get(e.userHash);
        newUnit = first === undefined;
        if (first === undefined) {
          run.assignments.set(e.userHash, arm);
          run.pending.push({ userHash: e.userHash, arm, firstSeen: e.time });
        } else if (first !== arm) run.record.flips += 1;
      }
      addRequest(run.record.tallies[arm], { ok: e.outcome === 'ok', latencyMs: e.latencyMs, costUsd: e.costUsd, newUnit }, this.random);
    }));
    // A promote or rollback by someone else (llmops rollback, a canary) ends the experiment: B
    // no longer gets its share, so the data would stop meaning anything.
    this.off.push(o.events.on('audit', (e) => {
      if (this.acting || (e.type !== 'promote' && e.type !== 'rollback')) return;
      const run = this.running.get(e.deployment);
      if (run) this.finish(run, { at: e.time, kind: 'manual', reason: `deployment ${e.type === 'promote' ? 'promoted' : 'rolled back'} outside the experiment by ${e.actor}${e.reason ? `: ${e.reason}` : ''}` }, e.actor);
    }));
    this.off.push(o.events.on('feedback', (e) => {
      if (e.deployment === undefined || e.variant === undefined) return;
      const run = this.running.get(e.deployment);
      const arm = run?.byVariant.get(e.variant);
      if (!run || !arm) return;
      // One rating per answer: a repeat or a change of mind replaces the earlier rating, if this
      // experiment counted it (a rating from before it started was never in its tallies).
      if (e.replaces && e.replaces.time >= run.record.startedAt) removeFeedback(run.record.tallies[arm], e.replaces.rating === 'up');
      addFeedback(run.record.tallies[arm], e.rating === 'up');
    }));
  }

  private runningOf(record: ExperimentRecord, assignments = new Map<string, ArmName>()): Running {
    return { record, assignments, pending: [], byVariant: new Map([[record.variantNames.A, 'A'], [record.variantNames.B, 'B']]) };
  }

  /** Starts deciding every `tickMs` (timer unref'd: it never keeps the process alive). */
  run(): void {
    this.timer ??= setInterval(() => this.tick(), this.o.tickMs ?? 5000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.tick();
    for (const off of this.off.splice(0)) off();
  }

  /** Online evaluation reports judge verdicts on an arm's responses here. */
  recordJudgement(deployment: string, arm: ArmName, verdict: { quality?: number | undefined; hallucinated?: boolean | undefined }): void {
    const run = this.running.get(deployment);
    if (run) addJudgement(run.record.tallies[arm], verdict);
  }

  /** The arm of a variant while an experiment runs on the deployment (for online evaluation). */
  armOf(deployment: string, variant: string): ArmName | undefined {
    return this.running.get(deployment)?.byVariant.get(variant);
  }

  start(deployment: string, body: unknown, actor: string): ExperimentRecord {
    const b = StartExperimentBody.parse(body ?? {});
    const snap = this.o.registry.get(deployment);
    if (!snap) throw new NotFoundError(`unknown deployment "${deployment}"`);
    if (this.running.has(deployment)) throw new UsageError(`an experiment is already running on ${deployment}`, `Stop it first: llmops ab stop ${deployment}`);
    const baseline = snap.variants.find((v) => v.role === 'baseline')!;
    const busy = snap.variants.filter((v) => v.role === 'candidate' && v.weightBp > 0);
    if (busy.length > 0) throw new UsageError(`deployment ${deployment} already splits traffic to ${busy.map((v) => v.name).join(', ')} (a canary?)`, 'Finish or roll back that rollout before an A/B test.');
    if (b.variants.A !== baseline.upstream) throw new UsageError(`variant A is the control and must be the deployment's current model "${baseline.upstream}" (got "${b.variants.A}")`, `Use --variant A=${baseline.upstream}`);
    if (b.variants.B === b.variants.A) throw new UsageError('variants A and B use the same model');
    if (b.metric === 'quality' && !this.o.judged) throw new UsageError('the primary metric quality needs online evaluation, which is off in this gateway', 'Set canary.onlineEval.share in llmops.yaml (e.g. 0.1) and restart the gateway, or pick another --metric.');
    if (!this.o.upstreamExists(b.variants.B)) throw new NotFoundError(`unknown upstream "${b.variants.B}" for variant B`, 'B must name an upstream of the gateway config (gateway.upstreams).');
    const spec = specFromBody(deployment, b);
    const now = this.now();
    // After an earlier experiment promoted B, the baseline variant itself is called B.
    const bVariant = baseline.name === ARM_B_VARIANT ? `${ARM_B_VARIANT}2` : ARM_B_VARIANT;
    const record: ExperimentRecord = {
      id: `${deployment}-${[...this.records.values()].filter((r) => r.spec.deployment === deployment).length + 1}`, spec, status: 'running', startedAt: now,
      variantNames: { A: baseline.name, B: bVariant }, tallies: { A: emptyTally(), B: emptyTally() }, sequentialP: {}, flips: 0,
    };
    this.o.registry.setVariant(deployment, { name: bVariant, upstream: spec.arms.B, weightPercent: spec.splitB }, { actor, reason: `A/B experiment ${record.id}`, upstreamExists: this.o.upstreamExists });
    this.o.store.save(record, []);
    this.records.set(record.id, record);
    this.running.set(deployment, this.runningOf(record));
    this.o.registry.recordEvent({ deployment, type: 'experiment_started', actor, detail: { experiment: record.id, spec } });
    return record;
  }

  /** Ends the running experiment: `winner` B is promoted; otherwise all traffic returns to A. */
  stopExperiment(deployment: string, body: unknown, actor: string): { record: ExperimentRecord; decision: Decision } {
    const b = StopExperimentBody.parse(body ?? {});
    const run = this.running.get(deployment);
    if (!run) throw new NotFoundError(`no experiment is running on ${deployment}`);
    const decision = decide(run.record, this.now());
    if (b.winner !== undefined && !b.force && !(decision.state === 'significant' && decision.winner === b.winner)) {
      throw new UsageError(`the data does not support ${b.winner} as the winner (${decision.state}: ${decision.reasons.join('; ')})`, 'Wait for a significant result, or pass --force to override.');
    }
    const reason = b.reason ?? (b.winner ? `A/B winner ${b.winner}` : 'A/B experiment stopped');
    this.actingOn(() => {
      if (b.winner === 'B') this.o.registry.promote(deployment, { actor, variant: run.record.variantNames.B, reason });
      else this.o.registry.rollback(deployment, { actor, reason });
    });
    this.finish(run, { at: this.now(), kind: b.winner ? 'winner' : 'manual', winner: b.winner, reason }, actor, { forced: b.force && b.winner !== undefined });
    return { record: run.record, decision: decide(run.record, this.now()) };
  }

  private finish(run: Running, outcome: NonNullable<ExperimentRecord['outcome']>, actor: string, extra: Record<string, unknown> = {}): void {
    run.record.status = 'stopped';
    run.record.outcome = outcome;
    this.flush(run);
    this.running.delete(run.record.spec.deployment);
    this.o.registry.recordEvent({ deployment: run.record.spec.deployment, type: outcome.kind === 'auto_stop' ? 'experiment_auto_stopped' : 'experiment_stopped', actor, reason: outcome.reason, detail: { experiment: run.record.id, winner: outcome.winner ?? null, ...extra } });
  }

  private actingOn(change: () => void): void {
    this.acting = true;
    try {
      change();
    } finally {
      this.acting = false;
    }
  }

  private flush(run: Running): void {
    this.o.store.save(run.record, run.pending.splice(0));
  }

  /** One decision round over the running experiments. */
  tick(): void {
    for (const run of [...this.running.values()]) {
      const d = decide(run.record, this.now());
      run.record.sequentialP = d.sequentialP;
      const changed = d.state !== run.record.lastState;
      run.record.lastState = d.state;
      if (d.state === 'guardrail_breach') {
        const reason = `A/B guardrail: ${d.reasons.join('; ')}`;
        this.actingOn(() => this.o.registry.rollback(run.record.spec.deployment, { actor: 'experiment', reason }));
        this.finish(run, { at: this.now(), kind: 'auto_stop', reason }, 'experiment', { guardrails: d.guardrails.filter((g) => g.degraded).map((g) => g.metric) });
        continue;
      }
      if (changed) this.o.registry.recordEvent({ deployment: run.record.spec.deployment, type: `experiment_${d.state}`, actor: 'experiment', reason: d.reasons.join('; '), detail: { experiment: run.record.id, winner: d.winner ?? null } });
      this.flush(run);
    }
  }

  /** The running experiment of a deployment, else its latest one. */
  latest(deployment: string): ExperimentRecord | undefined {
    const run = this.running.get(deployment);
    if (run) return run.record;
    return [...this.records.values()].filter((r) => r.spec.deployment === deployment).sort((a, b) => b.startedAt - a.startedAt)[0];
  }

  list(): ExperimentRecord[] {
    return [...this.records.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  decisionFor(record: ExperimentRecord): Decision {
    return decide(record, this.now());
  }
}
