import type { MetricSource, Variant } from './metric-source.js';
import { formatPlan } from './plan.js';
import type { CanaryPlan } from './plan.js';
import type { CanaryPolicy } from './policy.js';
import type { CanaryStore, OutsideChange, TrafficControl } from './ports.js';
import { abort, advance, blockingReason, pause, promote, resume, rollback, startCanary, type AdvanceChecks, type Transition } from './stage-machine.js';
import {
  candidateWeight, isTerminal, mirrorsTraffic, stageElapsedMs, stageLabel, stageRemainingMs, type CanaryEvent, type CanaryState,
} from './state.js';
import type { CanaryStatusView, HistoryPoint } from './status-view.js';
import { baselineErrorRate, extremeWindow, newSequentialErrorState, updateSequentialErrorTest, type BaselineErrorRate, type IntervalCounts } from './sequential-error-test.js';
import { formatCountdown } from './duration.js';
import { evaluateTriggers, nonInferiority, type Evidence, type WindowPair } from './triggers.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';

export interface ControllerDeps {
  traffic: TrafficControl;
  metrics: MetricSource;
  store: CanaryStore;
  policy: CanaryPolicy;
  now?: () => number;
  historyLength?: number;
}

interface Live {
  state: CanaryState;
  windows: WindowPair[];
  evidence: Evidence[];
  blockedBy: string | null;
  history: HistoryPoint[];
  events: CanaryEvent[];
  /** Consecutive evaluations in which a window rollback trigger held. */
  breaches?: number;
  /** When the baseline's errors last surged (BaselineErrorRate.surge), while a surge is reported. */
  surgeSeenAtMs?: number;
}

/**
 * Drives every canary of a gateway: each `tick` reads the sliding windows and the candidate's
 * requests since the previous tick, feeds the sequential error-rate test, rolls back on a
 * trigger (all traffic to the baseline, event with the evidence), otherwise lets the pure stage
 * machine advance. State is saved on every transition and every evaluation (the error test's
 * evidence) and reloaded on start, so a restarted gateway resumes each canary in the stage, with
 * the time it had and the evidence gathered so far.
 *
 * The deployment is shared: when someone else promotes, rolls back or reweights it (an operator,
 * an A/B experiment), the canary's stages no longer describe the traffic, so the canary ends
 * (aborted, "ended by <change> by <actor>") and from then on leaves the traffic alone.
 */
export class CanaryController {
  private readonly live = new Map<string, Live>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly offOutside: () => void;

  constructor(private readonly deps: ControllerDeps) {
    this.now = deps.now ?? Date.now;
    for (const state of deps.store.loadAll()) {
      this.live.set(state.deployment, { state, windows: [], evidence: [], blockedBy: null, history: [], events: [] });
      if (!isTerminal(state)) this.resumeAfterRestart(state);
    }
    this.offOutside = deps.traffic.onOutsideChange((c) => {
      // Runs inside the registry's change: a failure here must not fail the operator's request.
      try {
        this.endedOutside(c);
      } catch (err) {
        this.onError(err);
      }
    });
  }

  /**
   * Puts a reloaded canary's traffic back, unless the deployment no longer has its baseline and
   * candidate (changed config, a change the canary missed): then the canary ends, traffic untouched.
   */
  private resumeAfterRestart(s: CanaryState): void {
    const layout = this.deps.traffic.layout(s.deployment);
    let mismatch: string | undefined;
    if (layout && layout.baseline !== s.baseline) mismatch = `the baseline of ${s.deployment} is now ${layout.baseline}, not ${s.baseline}`;
    else if (layout && !layout.variants.some((v) => v.name === s.candidate && v.role === 'candidate')) mismatch = `${s.deployment} no longer has the candidate ${s.candidate}`;
    if (mismatch === undefined) {
      try {
        this.applyTraffic(s, 'canary resumed after restart');
        return;
      } catch (err) {
        mismatch = (err as Error).message;
      }
    }
    this.commit(abort(s, this.now(), `ended at restart: ${mismatch}`), 'restart', undefined, { leaveTraffic: true });
  }

  /** Someone else changed a deployment with a live canary: the canary ends and leaves traffic as they set it. */
  private endedOutside(c: OutsideChange): void {
    const l = this.live.get(c.deployment);
    if (!l || isTerminal(l.state)) return;
    if (c.kind === 'variant' && c.variant !== l.state.candidate) return; // a new 0% variant moves no traffic
    const what = { promote: 'promote', rollback: 'rollback', weights: 'weight change', variant: `change of variant ${c.variant ?? ''}` }[c.kind];
    const reason = `ended by ${what} by ${c.actor}${c.reason ? `: ${c.reason}` : ''}`;
    this.commit(abort(l.state, c.atMs, reason), reason, c.actor, { leaveTraffic: true });
  }

  get policy(): CanaryPolicy {
    return this.deps.policy;
  }

  start(input: { deployment: string; candidate: string; plan: CanaryPlan; actor?: string }): CanaryStatusView {
    const existing = this.live.get(input.deployment);
    if (existing && !isTerminal(existing.state)) {
      throw new ConflictError(`deployment ${input.deployment} already has a canary of ${existing.state.candidate} at ${stageLabel(existing.state)}`, 'Abort it first: llmops canary abort ' + input.deployment);
    }
    const { baseline } = this.deps.traffic.addCandidate(input.deployment, input.candidate);
    if (baseline === input.candidate) throw new UsageError(`${input.candidate} is already the baseline of ${input.deployment}`);
    const t = startCanary({ deployment: input.deployment, baseline, candidate: input.candidate, plan: input.plan }, this.now());
    this.live.set(input.deployment, { state: t.state, windows: [], evidence: [], blockedBy: null, history: [], events: [] });
    this.commit(t, `canary stage ${stageLabel(t.state)}`, input.actor);
    return this.status(input.deployment);
  }

  pause(deployment: string, actor?: string): CanaryStatusView {
    return this.operate(deployment, (s, now) => pause(s, now), actor);
  }
  resume(deployment: string, actor?: string): CanaryStatusView {
    return this.operate(deployment, (s, now) => resume(s, now), actor);
  }
  abort(deployment: string, reason?: string, actor?: string): CanaryStatusView {
    return this.operate(deployment, (s, now) => abort(s, now, reason), actor);
  }
  rollback(deployment: string, reason = 'rolled back by operator', actor?: string): CanaryStatusView {
    return this.operate(deployment, (s, now) => rollback(s, now, reason), actor);
  }
  promote(deployment: string, actor?: string): CanaryStatusView {
    return this.operate(deployment, (s, now) => promote(s, now), actor);
  }

  private operate(deployment: string, fn: (s: CanaryState, now: number) => Transition, actor: string | undefined): CanaryStatusView {
    const l = this.require(deployment);
    const s = l.state;
    if (isTerminal(s)) {
      const when = s.endedAtMs === null ? '' : ` at ${new Date(s.endedAtMs).toISOString()}`;
      const back = s.phase === 'completed' ? `; to return to the warm previous baseline: llmops rollback ${deployment} --reason "…"` : '';
      throw new ConflictError(`the canary on ${deployment} already ended (${stageLabel(s)}${when}); start a new one`, `llmops canary start ${deployment} --candidate <model>${back}`);
    }
    this.commit(fn(s, this.now()), 'operator', actor);
    return this.status(deployment);
  }

  private require(deployment: string): Live {
    const l = this.live.get(deployment);
    if (!l) throw new NotFoundError(`no canary on deployment ${deployment}`, `Start one: llmops canary start ${deployment} --candidate <model>`);
    return l;
  }

  /** Hot path (per request): the baseline and candidate variant names of a deployment's canary. */
  variantsOf(deployment: string): { baseline: string; candidate: string } | undefined {
    const s = this.live.get(deployment)?.state;
    return s && { baseline: s.baseline, candidate: s.candidate };
  }

  deployments(): string[] {
    return [...this.live.keys()];
  }

  status(deployment: string): CanaryStatusView {
    const l = this.require(deployment);
    const s = l.state;
    const now = this.now();
    return {
      deployment: s.deployment, baseline: s.baseline, candidate: s.candidate, phase: s.phase, paused: s.paused,
      stage: stageLabel(s), candidateWeight: candidateWeight(s), mirror: mirrorsTraffic(s), stageIndex: s.stageIndex,
      stages: [...(s.plan.shadowMs > 0 ? ['shadow'] : []), ...s.plan.stages.map((x) => `${x.weight}%`), '100%'],
      plan: formatPlan(s.plan), stageElapsedMs: stageElapsedMs(s, now), stageRemainingMs: stageRemainingMs(s, now),
      traffic: this.trafficOf(s.deployment),
      blockedBy: l.blockedBy, startedAt: s.startedAtMs, endedAt: s.endedAtMs, warmUntil: s.warmUntilMs, reason: s.reason, nowMs: now,
      windows: l.windows.map((w) => ({ windowMs: w.windowMs, baseline: w.baseline, candidate: w.candidate })),
      evidence: l.evidence, history: [...l.history], events: [...l.events],
    };
  }

  /** What the deployment routes now, percent per variant (warm ones left out). */
  private trafficOf(deployment: string): Record<string, number> | null {
    const layout = this.deps.traffic.layout(deployment);
    return layout ? Object.fromEntries(layout.variants.filter((v) => v.role !== 'warm').map((v) => [v.name, v.weight])) : null;
  }

  /** One evaluation of every active canary. Never runs twice at once. */
  async tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.evaluateAll().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async evaluateAll(): Promise<void> {
    for (const l of this.live.values()) {
      if (isTerminal(l.state)) continue;
      await this.evaluate(l);
    }
  }

  private async readWindows(deployment: string, nowMs: number): Promise<WindowPair[]> {
    const pairs: WindowPair[] = [];
    for (const windowMs of this.deps.policy.windowsMs) {
      const q = (variant: Variant) => ({ deployment, variant, windowMs, nowMs });
      const [baseline, candidate] = await Promise.all([this.deps.metrics.snapshot(q('baseline')), this.deps.metrics.snapshot(q('candidate'))]);
      const limit = (1 + this.deps.policy.p95LatencyIncrease) * baseline.p95Ms;
      const above = Number.isFinite(limit) ? await this.deps.metrics.latencyAbove(q('candidate'), limit) : 0;
      pairs.push({ windowMs, baseline, candidate, candidateAboveLatencyLimit: above });
    }
    return pairs;
  }

  /** Each variant's requests and errors in (fromMs, nowMs], at most the longest window back. */
  private async readSince(deployment: string, fromMs: number, nowMs: number): Promise<Record<Variant, IntervalCounts> & { windowMs: number }> {
    const windowMs = Math.min(nowMs - fromMs, Math.max(...this.deps.policy.windowsMs));
    if (!(windowMs > 0)) return { windowMs: 0, baseline: { requests: 0, errors: 0 }, candidate: { requests: 0, errors: 0 } };
    const read = async (variant: Variant): Promise<IntervalCounts> => {
      const s = await this.deps.metrics.snapshot({ deployment, variant, windowMs, nowMs });
      return { requests: s.requests, errors: s.errors };
    };
    const [baseline, candidate] = await Promise.all([read('baseline'), read('candidate')]);
    return { windowMs, baseline, candidate };
  }

  private async evaluate(l: Live): Promise<void> {
    const policy = this.deps.policy;
    const nowMs = this.now();
    const prior = l.state.errorTest ?? newSequentialErrorState(l.state.startedAtMs);
    const [pairs, fresh] = await Promise.all([this.readWindows(l.state.deployment, nowMs), this.readSince(l.state.deployment, prior.readToMs, nowMs)]);
    // The state may have changed while metrics were read (operator action); decide on the latest.
    if (isTerminal(l.state)) return;
    const p0 = baselineErrorRate(pairs, { windowMs: fresh.windowMs, ...fresh.baseline });
    this.noteSurge(l, p0, pairs, nowMs);
    const seq = updateSequentialErrorTest(prior, { nowMs, candidate: fresh.candidate, baseline: p0 }, policy);
    const s: CanaryState = { ...l.state, errorTest: seq.state };
    l.state = s;
    l.windows = pairs;
    l.history.push({ atMs: nowMs, baseline: pairs[0]!.baseline, candidate: pairs[0]!.candidate });
    if (l.history.length > (this.deps.historyLength ?? 60)) l.history.shift();
    const decision = evaluateTriggers(pairs, policy);
    l.evidence = [...decision.evidence, seq.evidence];
    l.breaches = decision.rollback ? (l.breaches ?? 0) + 1 : 0;
    const confirmed = decision.rollback && l.breaches >= policy.confirmations ? decision.trigger : undefined;
    const trigger = seq.evidence.status === 'breach' ? seq.evidence : confirmed;
    if (trigger) {
      const reason = reasonFor(trigger, l.breaches, policy.confirmations);
      this.commit(rollback(s, nowMs, reason, [trigger, ...l.evidence.filter((e) => e !== trigger)]), reason);
      return;
    }
    const longest = pairs[pairs.length - 1]!;
    const ni = nonInferiority(longest, policy);
    const checks: AdvanceChecks = {
      enoughSamples: longest.baseline.requests >= policy.minRequests && longest.candidate.requests >= policy.minRequests,
      withinLimits: decision.evidence.every((e) => e.status === 'ok' || e.status === 'insufficient'),
      nonInferior: ni.passed,
      evidence: [...ni.evidence, ...l.evidence],
    };
    const timeUp = stageRemainingMs(s, nowMs) === 0;
    l.blockedBy = timeUp && !s.paused ? blockingReason(s, checks, policy.significanceFromWeight) ?? null : null;
    const t = advance(s, nowMs, checks, policy.significanceFromWeight);
    if (t.event) this.commit(t, 'canary stage advanced');
    // Saved every evaluation so a restart keeps the evidence: one row per canary every few seconds.
    else this.deps.store.save(s);
  }

  /**
   * Reports a baseline surge once when it starts, and its end once the surge has stayed away for
   * the shortest window (a lasting outage does not stand out in every interval; one event each
   * way, not one per flicker).
   */
  private noteSurge(l: Live, p0: BaselineErrorRate, pairs: WindowPair[], nowMs: number): void {
    const shortest = extremeWindow(pairs, 'shortest')!;
    const deployment = l.state.deployment;
    if (p0.surge) {
      if (l.surgeSeenAtMs === undefined) {
        this.note(l, { atMs: nowMs, deployment, kind: 'baseline_surge', message: `baseline errors surged: ${p0.errors}/${p0.requests} in the last ${formatCountdown(p0.windowMs)}, ` +
          `against ${pct(shortest.baseline.errors, shortest.baseline.requests)} over ${formatCountdown(shortest.windowMs)}; the error trigger compares the candidate with the surge (up to ${(p0.rate * 100).toFixed(1)}%) while it lasts` });
      }
      l.surgeSeenAtMs = nowMs;
    } else if (l.surgeSeenAtMs !== undefined && nowMs - l.surgeSeenAtMs >= shortest.windowMs) {
      l.surgeSeenAtMs = undefined;
      this.note(l, { atMs: nowMs, deployment, kind: 'baseline_recovered', message: `baseline errors back to ${pct(shortest.baseline.errors, shortest.baseline.requests)} over ${formatCountdown(shortest.windowMs)}; the error trigger compares with the windows again` });
    }
  }

  /** Keeps an event for the dashboard and writes it to the audit log (a transition's, or one that changes no state). */
  private note(l: Live, event: CanaryEvent): void {
    l.events.push(event);
    if (l.events.length > 200) l.events.shift();
    this.deps.traffic.recordEvent(event);
  }

  /** Records a transition; `leaveTraffic` when the deployment's traffic is someone else's now. */
  private commit(t: Transition, reason: string, actor?: string, opts: { leaveTraffic?: boolean } = {}): void {
    if (!t.event) return;
    const event = actor === undefined ? t.event : Object.assign({}, t.event, { actor });
    const l = this.live.get(t.state.deployment)!;
    l.state = t.state;
    l.blockedBy = null;
    // Persist first: a restart must find the stage the traffic is in.
    this.deps.store.save(t.state);
    if (!opts.leaveTraffic) this.applyTraffic(t.state, reason);
    this.note(l, event);
  }

  private applyTraffic(s: CanaryState, reason: string): void {
    const t = this.deps.traffic;
    switch (s.phase) {
      case 'shadow':
        t.setCandidateWeight(s.deployment, s.candidate, 0, reason);
        t.setMirror(s.deployment, s.candidate);
        return;
      case 'stage':
        t.setMirror(s.deployment, null);
        t.setCandidateWeight(s.deployment, s.candidate, candidateWeight(s), reason);
        return;
      case 'completed':
        t.setMirror(s.deployment, null);
        t.promote(s.deployment, s.candidate, reason, s.plan.keepWarmMs);
        return;
      case 'rolled_back':
      case 'aborted':
        t.setMirror(s.deployment, null);
        t.rollback(s.deployment, s.candidate, s.reason ?? reason);
        return;
    }
  }

  /** Evaluates every `policy.intervalMs` until stopped. The timer does not keep the process alive. */
  run(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.onError(err)), this.deps.policy.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops evaluating and stops following outside changes (the gateway is going away). */
  close(): void {
    this.stop();
    this.offOutside();
  }

  /** Evaluation failures (a metric source down) must not kill the gateway; they are kept for status. */
  lastError: string | undefined;
  private onError(err: unknown): void {
    this.lastError = err instanceof Error ? err.message : String(err);
  }
}

function reasonFor(t: Evidence, held: number, confirmations: number): string {
  const counts = t.threshold !== undefined ? ` (${t.errorsCandidate}/${t.nCandidate})` : '';
  const head = `${t.metric} ${fmt(t.metric, t.candidate)}${counts} vs baseline ${fmt(t.metric, t.baseline)} (limit ${fmt(t.metric, t.limit)}) over ${Math.round(t.windowMs / 1000)}s`;
  if (t.threshold !== undefined) return `${head}, sequential log-LR ${t.statistic.toFixed(1)} ≥ ${t.threshold.toFixed(1)}`;
  return `${head}, p=${t.pValue.toPrecision(3)}${confirmations > 1 ? `, held ${held} evaluations in a row` : ''}`;
}

function pct(x: number, n: number): string {
  return n > 0 ? `${((x / n) * 100).toFixed(1)}%` : 'n/a';
}

function fmt(metric: Evidence['metric'], v: number): string {
  if (metric === 'p95_latency') return `${Math.round(v)}ms`;
  if (metric === 'quality') return v.toFixed(3);
  return `${(v * 100).toFixed(1)}%`;
}
