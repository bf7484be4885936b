import type { DeploymentRegistry } from '../gateway/registry.js';
import type { TrafficControl } from './ports.js';
import type { CanaryEvent } from './state.js';

const ACTOR = 'canary-controller';

/**
 * TrafficControl over the gateway's DeploymentRegistry. The candidate named on the command line
 * is an upstream; it joins the deployment as a variant of the same name. Shadow mirroring is
 * kept here (`mirrorTarget`) for the data plane to consult: the registry has no mirror concept.
 */
export class RegistryTrafficControl implements TrafficControl {
  private readonly mirrors = new Map<string, string>();
  constructor(private readonly registry: DeploymentRegistry, private readonly upstreamExists: (u: string) => boolean) {}

  addCandidate(deployment: string, candidate: string): { baseline: string } {
    const snap = this.registry.setVariant(deployment, { name: candidate, upstream: candidate, weightPercent: 0 }, { actor: ACTOR, reason: 'canary start', upstreamExists: this.upstreamExists });
    return { baseline: snap.variants.find((v) => v.role === 'baseline')!.name };
  }

  setCandidateWeight(deployment: string, candidate: string, percent: number, reason: string): void {
    const current = this.registry.get(deployment)?.variants.find((v) => v.name === candidate);
    if (current && current.role === 'candidate' && current.weightBp === Math.round(percent * 100)) return;
    this.registry.setWeights(deployment, { [candidate]: percent }, { actor: ACTOR, reason, type: 'canary_weights' });
  }

  setMirror(deployment: string, candidate: string | null): void {
    if (candidate === null) this.mirrors.delete(deployment);
    else this.mirrors.set(deployment, candidate);
  }

  /** Data-plane hook: the variant that should receive a mirrored copy of this deployment's requests. */
  mirrorTarget(deployment: string): string | undefined {
    return this.mirrors.get(deployment);
  }

  rollback(deployment: string, reason: string): void {
    this.registry.rollback(deployment, { actor: ACTOR, reason });
  }

  promote(deployment: string, candidate: string, reason: string): void {
    this.registry.promote(deployment, { actor: ACTOR, reason, variant: candidate });
  }

  recordEvent(e: CanaryEvent): void {
    this.registry.recordEvent({
      time: e.atMs, deployment: e.deployment, type: `canary_${e.kind}`, actor: e.actor ?? ACTOR, reason: e.message,
      detail: e.evidence ? { evidence: e.evidence } : {},
    });
  }
}
