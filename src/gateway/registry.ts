/**
 * Deployment state in memory: variants, weights and the derived bucket layout. Request routing
 * reads only this in-memory state; admin actions change it, persist a snapshot and an audit
 * event through the GatewayStateStore, and announce the change on the event bus.
 *
 * Control-plane API for the canary controller and the A/B engine: setWeights, setVariant,
 * promote, rollback, recordEvent.
 */
import { LlmopsError, NotFoundError, UsageError } from '../errors.js';
import type { GatewayConfig, RoutedDeploymentConfig } from './config.js';
import { roleOf } from './config.js';
import type { AuditEvent, GatewayEvents } from './events.js';
import { layoutRanges, percentToBp, validateSplit, variantForBucket, type BucketRange } from './split.js';
import type { GatewayStateStore } from './state-store.js';

export type VariantStateRole = 'baseline' | 'candidate' | 'warm';

export interface VariantState {
  name: string;
  upstream: string;
  role: VariantStateRole;
  weightBp: number;
  /** For `warm` variants (an old baseline after a promote): epoch ms until which it stays warm. */
  warmUntil?: number | undefined;
}

export type DeploymentStatus = 'stable' | 'split' | 'promoted' | 'rolled_back';

/** What is persisted per deployment and returned by the admin API. */
export interface DeploymentSnapshot {
  name: string;
  variants: VariantState[];
  status: DeploymentStatus;
  updatedAt: number;
  lastReason?: string | undefined;
  keepWarmMs: number;
}

interface LiveDeployment extends DeploymentSnapshot {
  ranges: BucketRange[];
  byName: Map<string, VariantState>;
}

const statusOf = (variants: readonly VariantState[]): DeploymentStatus =>
  variants.some((v) => v.role === 'candidate' && v.weightBp > 0) ? 'split' : 'stable';

export class DeploymentRegistry {
  private readonly deployments = new Map<string, LiveDeployment>();
  readonly routed = new Map<string, RoutedDeploymentConfig>();

  constructor(
    config: GatewayConfig,
    private readonly store: GatewayStateStore,
    private readonly events: GatewayEvents,
    private readonly now: () => number = Date.now,
  ) {
    const persisted = new Map(store.loadDeployments().map((s) => [s.name, s]));
    for (const [name, dep] of Object.entries(config.deployments)) {
      if (dep.kind === 'routed') {
        this.routed.set(name, dep);
        continue;
      }
      const keepWarmMs = dep.keepWarmHours * 3_600_000;
      const fromConfig: VariantState[] = Object.entries(dep.variants).map(([v, spec]) => ({ name: v, upstream: spec.upstream, role: roleOf(v, spec.role), weightBp: percentToBp(spec.weight) }));
      const saved = persisted.get(name);
      // Persisted state (promotes, rollbacks, weights) wins over the file, as long as every
      // upstream it names still exists; otherwise the file's layout is used again.
      const usable = saved && saved.variants.every((v) => config.upstreams[v.upstream] !== undefined) && validateSplit(saved.variants.filter((v) => v.role !== 'warm').map((v) => ({ name: v.name, role: v.role as 'baseline' | 'candidate', weightBp: v.weightBp }))).length === 0;
      const snapshot: DeploymentSnapshot = usable
        ? { ...saved, keepWarmMs }
        : { name, variants: fromConfig, status: statusOf(fromConfig), updatedAt: this.now(), keepWarmMs };
      this.deployments.set(name, this.live(snapshot));
    }
  }

  private live(s: DeploymentSnapshot): LiveDeployment {
    const active = s.variants.filter((v) => v.role !== 'warm').map((v) => ({ name: v.name, role: v.role as 'baseline' | 'candidate', weightBp: v.weightBp }));
    return { ...s, ranges: layoutRanges(active), byName: new Map(s.variants.map((v) => [v.name, v])) };
  }

  names(): string[] {
    return [...this.deployments.keys(), ...this.routed.keys()];
  }

  has(name: string): boolean {
    return this.deployments.has(name) || this.routed.has(name);
  }

  /** Split deployments' snapshots (a copy). */
  list(): DeploymentSnapshot[] {
    return [...this.deployments.values()].map((d) => this.snapshotOf(d));
  }

  get(name: string): DeploymentSnapshot | undefined {
    const d = this.deployments.get(name);
    return d && this.snapshotOf(d);
  }

  /** Hot path: the variant owning a user's bucket. */
  route(deployment: string, bucket: number): VariantState | undefined {
    const d = this.deployments.get(deployment);
    if (!d) return undefined;
    return d.byName.get(variantForBucket(d.ranges, bucket));
  }

  /**
   * Sets weights (percent) of the named variants; an unnamed baseline takes what is left. The
   * result must sum to 100 with one baseline.
   */
  setWeights(deployment: string, weights: Record<string, number>, meta: { actor: string; reason?: string; type?: string }): DeploymentSnapshot {
    const d = this.require(deployment);
    const next = d.variants.map((v) => ({ ...v }));
    for (const [name, pct] of Object.entries(weights)) {
      const v = next.find((x) => x.name === name);
      if (!v) throw new NotFoundError(`deployment ${deployment} has no variant "${name}" (variants: ${d.variants.map((x) => x.name).join(', ')})`);
      if (v.role === 'warm') throw new UsageError(`variant "${name}" is a warm former baseline; promote or set it as a candidate first`);
      if (!(pct >= 0 && pct <= 100)) throw new UsageError(`weight of "${name}" must be between 0 and 100`);
      v.weightBp = percentToBp(pct);
    }
    const baseline = next.find((v) => v.role === 'baseline')!;
    if (weights[baseline.name] === undefined) {
      const others = next.filter((v) => v.role === 'candidate').reduce((s, v) => s + v.weightBp, 0);
      if (others > 10_000) throw new UsageError(`candidate weights sum to ${others / 100}%, over 100%`);
      baseline.weightBp = 10_000 - others;
    }
    return this.commit(d, next, statusOf(next), { type: meta.type ?? 'weights_set', actor: meta.actor, reason: meta.reason, detail: { weights: Object.fromEntries(next.map((v) => [v.name, v.weightBp / 100])) } });
  }

  /** Adds or repoints a candidate variant (weight 0 unless given): how a canary brings in its model. */
  setVariant(deployment: string, variant: { name: string; upstream: string; weightPercent?: number }, meta: { actor: string; reason?: string; upstreamExists: (u: string) => boolean }): DeploymentSnapshot {
    const d = this.require(deployment);
    if (!meta.upstreamExists(variant.upstream)) throw new NotFoundError(`unknown upstream "${variant.upstream}"`);
    const next = d.variants.map((v) => ({ ...v }));
    const existing = next.find((v) => v.name === variant.name);
    if (existing?.role === 'baseline') throw new UsageError(`"${variant.name}" is the baseline; it cannot become a candidate`);
    if (existing) {
      existing.upstream = variant.upstream;
      existing.role = 'candidate';
      existing.warmUntil = undefined;
    } else next.push({ name: variant.name, upstream: variant.upstream, role: 'candidate', weightBp: 0 });
    const snap = this.commit(d, next, statusOf(next), { type: 'variant_set', actor: meta.actor, reason: meta.reason, detail: { variant: variant.name, upstream: variant.upstream } });
    return variant.weightPercent === undefined ? snap : this.setWeights(deployment, { [variant.name]: variant.weightPercent }, { actor: meta.actor, reason: meta.reason });
  }

  /**
   * The candidate (named, or the only one) becomes the baseline with all traffic; the old
   * baseline stays warm for the deployment's keep-warm time, other candidates get 0%.
   */
  /** `keepWarmMs` overrides the deployment's `keepWarmHours` (a canary plan's keep-warm time). */
  promote(deployment: string, meta: { actor: string; reason?: string; variant?: string; keepWarmMs?: number }): DeploymentSnapshot {
    const d = this.require(deployment);
    const keepWarmMs = meta.keepWarmMs ?? d.keepWarmMs;
    const candidates = d.variants.filter((v) => v.role === 'candidate');
    let chosen: VariantState | undefined;
    if (meta.variant !== undefined) {
      chosen = candidates.find((v) => v.name === meta.variant);
      if (!chosen) throw new NotFoundError(`deployment ${deployment} has no candidate "${meta.variant}"`);
    } else {
      const live = candidates.filter((v) => v.weightBp > 0);
      const pool = live.length > 0 ? live : candidates;
      if (pool.length !== 1) throw new UsageError(pool.length === 0 ? `deployment ${deployment} has no candidate to promote` : `deployment ${deployment} has several candidates (${pool.map((v) => v.name).join(', ')}); name one with --variant <name>`);
      chosen = pool[0];
    }
    if (!chosen) throw new UsageError(`deployment ${deployment} has no candidate to promote`);
    const promoted = chosen;
    const now = this.now();
    const next = d.variants.map((v): VariantState => {
      if (v.name === promoted.name) return { ...v, role: 'baseline', weightBp: 10_000, warmUntil: undefined };
      if (v.role === 'baseline') return { ...v, role: 'warm', weightBp: 0, warmUntil: now + keepWarmMs };
      return { ...v, weightBp: 0 };
    });
    const old = d.variants.find((v) => v.role === 'baseline')!;
    return this.commit(d, next, 'promoted', { type: 'promote', actor: meta.actor, reason: meta.reason, detail: { promoted: promoted.name, upstream: promoted.upstream, previousBaseline: old.name, warmUntil: new Date(now + keepWarmMs).toISOString() } });
  }

  /**
   * All traffic back to the baseline; the reason is recorded in the event log. Right after a
   * promote (no candidate has traffic) the baseline *is* the new model, so rollback restores the
   * warm previous baseline instead, and the promoted variant becomes a 0% candidate again.
   * `keepBaseline` never restores a warm one: a canary rolling back its own candidate (perhaps
   * still in its 0% shadow stage) must not undo an earlier promote.
   */
  rollback(deployment: string, meta: { actor: string; reason: string; keepBaseline?: boolean }): DeploymentSnapshot {
    const d = this.require(deployment);
    const now = this.now();
    const before = Object.fromEntries(d.variants.map((v) => [v.name, v.weightBp / 100]));
    const liveCandidates = d.variants.some((v) => v.role === 'candidate' && v.weightBp > 0);
    const warm = d.variants.filter((v) => v.role === 'warm' && (v.warmUntil ?? 0) > now).sort((a, b) => (b.warmUntil ?? 0) - (a.warmUntil ?? 0))[0];
    if (!liveCandidates && warm && meta.keepBaseline !== true) {
      const current = d.variants.find((v) => v.role === 'baseline')!;
      const next = d.variants.map((v): VariantState => {
        if (v.name === warm.name) return { ...v, role: 'baseline', weightBp: 10_000, warmUntil: undefined };
        if (v.name === current.name) return { ...v, role: 'candidate', weightBp: 0 };
        return { ...v };
      });
      return this.commit(d, next, 'rolled_back', { type: 'rollback', actor: meta.actor, reason: meta.reason, detail: { weightsBefore: before, restoredBaseline: warm.name, demoted: current.name } });
    }
    const next = d.variants.map((v) => (v.role === 'candidate' ? { ...v, weightBp: 0 } : v.role === 'baseline' ? { ...v, weightBp: 10_000 } : { ...v }));
    return this.commit(d, next, 'rolled_back', { type: 'rollback', actor: meta.actor, reason: meta.reason, detail: { weightsBefore: before } });
  }

  /** Removes a candidate that serves no traffic (0%): what a finished canary leaves behind. */
  removeVariant(deployment: string, name: string, meta: { actor: string; reason?: string }): DeploymentSnapshot {
    const d = this.require(deployment);
    const v = d.variants.find((x) => x.name === name);
    if (!v) throw new NotFoundError(`deployment ${deployment} has no variant "${name}"`);
    if (v.role !== 'candidate' || v.weightBp !== 0) throw new UsageError(`variant "${name}" of ${deployment} is ${v.role === 'candidate' ? `serving ${v.weightBp / 100}% of traffic` : `the ${v.role} one`}; only a 0% candidate can be removed`);
    const next = d.variants.filter((x) => x !== v).map((x) => ({ ...x }));
    return this.commit(d, next, d.status, { type: 'variant_removed', actor: meta.actor, reason: meta.reason, detail: { variant: name, upstream: v.upstream } });
  }

  /** Drops warm variants whose keep-warm time is over (called periodically). */
  expireWarm(): void {
    const now = this.now();
    for (const d of this.deployments.values()) {
      const expired = d.variants.filter((v) => v.role === 'warm' && (v.warmUntil ?? 0) <= now);
      if (expired.length === 0) continue;
      const next = d.variants.filter((v) => !expired.includes(v));
      this.commit(d, next, d.status, { type: 'warm_expired', actor: 'gateway', detail: { variants: expired.map((v) => v.name) } });
    }
  }

  /** Records an event that changes no state (canary decisions, …). */
  recordEvent(e: Omit<AuditEvent, 'time' | 'id'> & { time?: number }): AuditEvent {
    const event: AuditEvent = { ...e, time: e.time ?? this.now() };
    event.id = this.store.appendEvent(event);
    this.events.emit('audit', event);
    return event;
  }

  listEvents(opts: { deployment?: string; limit?: number; afterId?: number } = {}): AuditEvent[] {
    return this.store.listEvents({ limit: opts.limit ?? 100, ...(opts.deployment === undefined ? {} : { deployment: opts.deployment }), ...(opts.afterId === undefined ? {} : { afterId: opts.afterId }) });
  }

  private require(name: string): LiveDeployment {
    const d = this.deployments.get(name);
    if (!d) {
      if (this.routed.has(name)) throw new UsageError(`deployment ${name} is routed; change the weights of its tier deployments instead`);
      throw new NotFoundError(`unknown deployment "${name}" (known: ${[...this.deployments.keys()].join(', ') || 'none'})`);
    }
    return d;
  }

  private commit(d: LiveDeployment, variants: VariantState[], status: DeploymentStatus, e: Omit<AuditEvent, 'time' | 'deployment'>): DeploymentSnapshot {
    const snapshot: DeploymentSnapshot = { name: d.name, variants, status, updatedAt: this.now(), keepWarmMs: d.keepWarmMs, lastReason: e.reason ?? `${e.type} by ${e.actor}` };
    let live: LiveDeployment;
    try {
      live = this.live(snapshot);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    // Persist first: a change that cannot be stored is not applied (state must survive a restart).
    try {
      this.store.saveDeployment(snapshot);
    } catch (err) {
      throw new LlmopsError(`cannot persist deployment ${d.name}: ${(err as Error).message}`);
    }
    this.deployments.set(d.name, live);
    this.recordEvent({ ...e, deployment: d.name });
    return this.snapshotOf(live);
  }

  private snapshotOf(d: LiveDeployment): DeploymentSnapshot {
    return { name: d.name, variants: d.variants.map((v) => ({ ...v })), status: d.status, updatedAt: d.updatedAt, keepWarmMs: d.keepWarmMs, ...(d.lastReason === undefined ? {} : { lastReason: d.lastReason }) };
  }
}
