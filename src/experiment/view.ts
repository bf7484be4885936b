import { percentile, sortedCopy } from '../stats/index.js';
import type { Decision, GuardrailVerdict, MetricVerdict } from './decide.js';
import type { ArmTally, ExperimentRecord } from './types.js';

/** What `GET /admin/deployments/:d/experiment` returns and `llmops ab status --json` prints. */
export interface ExperimentStatusView {
  id: string;
  deployment: string;
  status: ExperimentRecord['status'];
  startedAt: string;
  spec: ExperimentRecord['spec'];
  variants: { A: { variant: string; model: string }; B: { variant: string; model: string } };
  decision: Omit<Decision, 'sequentialP' | 'primary' | 'guardrails'> & { primary: MetricView; guardrails: Array<MetricView & Pick<GuardrailVerdict, 'margin' | 'threshold' | 'degraded'>> };
  arms: { A: ArmSummary; B: ArmSummary };
  assignmentFlips: number;
  outcome: ExperimentRecord['outcome'] | null;
}

type MetricView = Omit<MetricVerdict, 'a' | 'b'> & { a: { n: number; value: number }; b: { n: number; value: number } };

export interface ArmSummary {
  requests: number;
  errors: number;
  units: number;
  thumbs: { up: number; down: number };
  judged: number;
  latencyMs: { p50: number | null; p95: number | null; mean: number | null };
  costPerRequestUsd: number | null;
}


function arm(t: ArmTally): ArmSummary {
  const sorted = sortedCopy(t.latencySample);
  return {
    requests: t.requests, errors: t.errors, units: t.units, thumbs: { up: t.thumbsUp, down: t.thumbsDown }, judged: Math.max(t.quality.n, t.hallucination.n),
    latencyMs: { p50: sorted.length ? percentile(sorted, 0.5) : null, p95: sorted.length ? percentile(sorted, 0.95) : null, mean: t.latency.n ? t.latency.mean : null },
    costPerRequestUsd: t.cost.n ? t.cost.mean : null,
  };
}

function metric<T extends MetricVerdict>(m: T): Omit<T, 'a' | 'b'> & { a: { n: number; value: number }; b: { n: number; value: number } } {
  return { ...m, a: { n: m.a.n, value: m.a.value }, b: { n: m.b.n, value: m.b.value } };
}

export function statusView(r: ExperimentRecord, d: Decision): ExperimentStatusView {
  const { sequentialP: _s, primary, guardrails, ...rest } = d;
  return {
    id: r.id, deployment: r.spec.deployment, status: r.status, startedAt: new Date(r.startedAt).toISOString(), spec: r.spec,
    variants: { A: { variant: r.variantNames.A, model: r.spec.arms.A }, B: { variant: r.variantNames.B, model: r.spec.arms.B } },
    decision: { ...rest, primary: metric(primary), guardrails: guardrails.map(metric) },
    arms: { A: arm(r.tallies.A), B: arm(r.tallies.B) },
    assignmentFlips: r.flips,
    outcome: r.outcome ?? null,
  };
}

