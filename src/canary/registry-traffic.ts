import { UsageError } from '../errors.js';
import type { AuditEvent, GatewayEvents } from '../gateway/events.js';
import type { DeploymentRegistry } from '../gateway/registry.js';
import type { OutsideChange, TrafficControl, TrafficLayout } from './ports.js';
import type { CanaryEvent } from './state.js';

const ACTOR = 'canary-controller';

/** Audit event types that change what a deployment routes, and how a canary names them. */
const OUTSIDE_KINDS: Record<string, OutsideChange['kind']> = { promote: 'promote', rollback: 'rollback', weights_set: 'weights', variant_set: 'variant' };

/**
 * TrafficControl over the gateway's DeploymentRegistry. The candidate named on the command line
 * is an upstream; it joins the deployment as a variant of the same name. Shadow mirroring is
 * kept here (`mirrorTarget`) for the data plane to consult: the registry has no mirror concept.
 */
export class RegistryTrafficControl implements TrafficControl {
  private readonly mirrors = new Map<string, string>();
  /** True while the controller itself changes the registry: its own audit events are not outside changes. */
  private acting = false;

  constructor(
    private readonly registry: DeploymentRegistry,
    private readonly upstreamExists: (u: string) => boolean,
    private readonly events: GatewayEvents,
  ) {}

  addCandidate(deployment: string, candidate: string): { baseline: string } {
    const busy = this.registry.get(deployment)?.variants.filter((v) => v.role === 'candidate' && v.weightBp > 0 && v.name !== candidate) ?? [];
    if (busy.length > 0) {
      throw new UsageError(
        `deployment ${deployment} already sends traffic to ${busy.map((v) => `${v.name} (${v.weightBp / 100}%)`).join(', ')}; a canary compares its candidate with the baseline alone`,
        `End that split first: llmops rollback ${deployment} --reason "…" (or set its weight to 0).`,
      );
    }
    const snap = this.act(() => this.registry.setVariant(deployment, { name: candidate, upstream: candidate, weightPercent: 0 }, { actor: ACTOR, reason: 'canary start', upstreamExists: this.upstreamExists }));
    return { baseline: snap.variants.find((v) => v.role === 'baseline')!.name };
  }

  setCandidateWeight(deployment: string, candidate: string, percent: number, reason: string): void {
    const current = this.registry.get(deployment)?.variants.find((v) => v.name === candidate);
    if (current && current.role === 'candidate' && current.weightBp === Math.round(percent * 100)) return;
    this.act(() => this.registry.setWeights(deployment, { [candidate]: percent }, { actor: ACTOR, reason, type: 'canary_weights' }));
  }

  setMirror(deployment: string, candidate: string | null): void {
    if (candidate === null) this.mirrors.delete(deployment);
    else this.mirrors.set(deployment, candidate);
  }

  /** Data-plane hook: the variant that should receive a mirrored copy of this deployment's requests. */
  mirrorTarget(deployment: string): string | undefined {
    return this.mirrors.get(deployment);
  }

  rollback(deployment: string, candidate: string, reason: string): void {
    this.act(() => {
      this.registry.rollback(deployment, { actor: ACTOR, reason, keepBaseline: true });
      this.removeIdle(deployment, (name) => name === candidate, 'the canary rolled it back');
    });
  }

  promote(deployment: string, candidate: string, reason: string, keepWarmMs: number): void {
    this.act(() => {
      this.registry.promote(deployment, { actor: ACTOR, reason, variant: candidate, keepWarmMs });
      this.removeIdle(deployment, () => true, `left at 0% when the canary promoted ${candidate}`);
    });
  }

  /** Removes the deployment's 0% candidates that `which` names (nothing routes to them any more). */
  private removeIdle(deployment: string, which: (name: string) => boolean, reason: string): void {
    for (const v of this.registry.get(deployment)?.variants ?? []) {
      if (v.role === 'candidate' && v.weightBp === 0 && which(v.name)) this.registry.removeVariant(deployment, v.name, { actor: ACTOR, reason });
    }
  }

  recordEvent(e: CanaryEvent): void {
    this.registry.recordEvent({
      time: e.atMs, deployment: e.deployment, type: `canary_${e.kind}`, actor: e.actor ?? ACTOR, reason: e.message,
      detail: e.evidence ? { evidence: e.evidence } : {},
    });
  }

  layout(deployment: string): TrafficLayout | undefined {
    const d = this.registry.get(deployment);
    if (!d) return undefined;
    return {
      baseline: d.variants.find((v) => v.role === 'baseline')!.name,
      variants: d.variants.map((v) => ({ name: v.name, role: v.role, weight: v.weightBp / 100 })),
    };
  }

  onOutsideChange(listener: (change: OutsideChange) => void): () => void {
    return this.events.on('audit', (e: AuditEvent) => {
      const kind = OUTSIDE_KINDS[e.type];
      if (kind === undefined || this.acting || e.actor === ACTOR) return;
      const variant = typeof e.detail.variant === 'string' ? e.detail.variant : undefined;
      listener({ deployment: e.deployment, kind, actor: e.actor, atMs: e.time, reason: e.reason, variant });
    });
  }

  private act<T>(change: () => T): T {
    const was = this.acting;
    this.acting = true;
    try {
      return change();
    } finally {
      this.acting = was;
    }
  }
}
