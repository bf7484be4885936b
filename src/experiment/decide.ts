import { compareArms, METRIC_INFO, type Comparison } from './compare.js';
import { sequentialLook } from './sequential.js';
import { sampleRatioCheck, type SrmCheck } from './srm.js';
import type { ArmName, ExperimentMetric, ExperimentRecord } from './types.js';

/**
 * - `collecting`: minimum samples or duration not reached; any conclusion is withheld.
 * - `significant`: the primary metric differs (always-valid p < alpha) → `winner`.
 * - `not_significant`: horizon reached, no difference shown yet; keeps running.
 * - `srm`: assignment looks broken; no conclusion is drawn.
 * - `guardrail_breach`: a guardrail degraded significantly → the engine stops the experiment.
 * - `stopped`: already ended (see the record's outcome).
 */
export type DecisionState = 'collecting' | 'significant' | 'not_significant' | 'srm' | 'guardrail_breach' | 'stopped';

export interface MetricVerdict extends Comparison {
  /** Always-valid p-value (running minimum over every look). */
  sequentialP: number;
}

export interface GuardrailVerdict extends MetricVerdict {
  margin: number;
  /** The harm threshold on B − A (absolute units of the metric). */
  threshold: number;
  degraded: boolean;
}

export interface Decision {
  state: DecisionState;
  winner?: ArmName | undefined;
  /** True while no conclusion may be drawn (before the horizon, under SRM). */
  withheld: boolean;
  reasons: string[];
  primary: MetricVerdict;
  guardrails: GuardrailVerdict[];
  srm: SrmCheck;
  progress: { samples: { A: number; B: number }; minSamples: number; elapsedMs: number; minDurationMs: number };
  /** The running minima to persist for the next look. */
  sequentialP: Partial<Record<ExperimentMetric, number>>;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

/** Guardrail threshold on B − A: harm beyond the margin (rates: points; means: share of A's mean). */
function harmThreshold(metric: ExperimentMetric, margin: number, controlValue: number): number {
  const info = METRIC_INFO[metric];
  const size = info.kind === 'rate' ? margin : margin * Math.abs(controlValue);
  return info.better === 'lower' ? size : -size;
}

/**
 * The experiment's decision at `now`: pure (clock passed in, no I/O). Guardrails are checked
 * first and do not wait for the horizon (safety first); a winner needs the minimum samples per
 * arm, the minimum duration, no sample-ratio mismatch, and an always-valid (mSPRT) p-value
 * below alpha, so looking at the experiment continuously does not inflate false positives.
 */
export function decide(record: ExperimentRecord, now: number): Decision {
  const { spec, tallies } = record;
  const seq: Partial<Record<ExperimentMetric, number>> = { ...record.sequentialP };
  const stopped = record.status === 'stopped';
  const look = (c: Comparison, theta0: number): number => {
    const p = stopped ? (seq[c.metric] ?? 1) : sequentialLook(c, seq[c.metric], theta0);
    seq[c.metric] = p;
    return p;
  };

  const primaryCmp = compareArms(tallies.A, tallies.B, spec.primary, spec.alpha);
  const primary: MetricVerdict = { ...primaryCmp, sequentialP: look(primaryCmp, 0) };
  const guardrails = spec.guardrails.filter((g) => g.metric !== spec.primary).map((g): GuardrailVerdict => {
    const c = compareArms(tallies.A, tallies.B, g.metric, spec.guardrailAlpha);
    const threshold = harmThreshold(g.metric, g.margin, c.a.value);
    const sequentialP = look(c, threshold);
    const beyond = METRIC_INFO[g.metric].better === 'lower' ? c.diff > threshold : c.diff < threshold;
    const enough = c.a.n >= spec.guardrailMinSamples && c.b.n >= spec.guardrailMinSamples;
    return { ...c, sequentialP, margin: g.margin, threshold, degraded: enough && beyond && sequentialP < spec.guardrailAlpha };
  });
  const srm = sampleRatioCheck(tallies.A.units, tallies.B.units, spec.splitB);
  const elapsedMs = Math.max(0, now - record.startedAt);
  const progress = { samples: { A: primary.a.n, B: primary.b.n }, minSamples: spec.minSamples, elapsedMs, minDurationMs: spec.minDurationMs };
  const base = { primary, guardrails, srm, progress, sequentialP: seq };

  if (stopped) return { ...base, state: 'stopped', winner: record.outcome?.winner, withheld: false, reasons: [record.outcome?.reason ?? 'stopped'] };

  const degraded = guardrails.filter((g) => g.degraded);
  if (degraded.length > 0) {
    return {
      ...base, state: 'guardrail_breach', withheld: false,
      reasons: degraded.map((g) => `guardrail ${g.metric} degraded on B: ${fmt(g.b.value)} vs ${fmt(g.a.value)} on A (B − A = ${fmt(g.diff)}, beyond the tolerated ${fmt(g.threshold)}; always-valid p = ${g.sequentialP.toExponential(2)} < ${spec.guardrailAlpha})`),
    };
  }
  if (srm.flagged) {
    return { ...base, state: 'srm', withheld: true, reasons: [`sample ratio mismatch: ${srm.observed[0]} / ${srm.observed[1]} units for a ${100 - spec.splitB}/${spec.splitB} split (chi-square p = ${srm.pValue.toExponential(2)} < 0.001); assignment looks broken, no conclusion is drawn`] };
  }
  const reasons: string[] = [];
  if (primary.a.n < spec.minSamples || primary.b.n < spec.minSamples) reasons.push(`samples ${primary.a.n} (A) / ${primary.b.n} (B) of the ${spec.minSamples} per arm required`);
  if (elapsedMs < spec.minDurationMs) reasons.push(`ran ${Math.floor(elapsedMs / 1000)} s of the ${Math.ceil(spec.minDurationMs / 1000)} s required`);
  if (reasons.length > 0) return { ...base, state: 'collecting', withheld: true, reasons: [...reasons, 'decision withheld until both are reached'] };

  if (primary.sequentialP < spec.alpha) {
    const bBetter = METRIC_INFO[spec.primary].better === 'higher' ? primary.diff > 0 : primary.diff < 0;
    const winner: ArmName = bBetter ? 'B' : 'A';
    return { ...base, state: 'significant', winner, withheld: false, reasons: [`${spec.primary}: ${fmt(primary.b.value)} on B vs ${fmt(primary.a.value)} on A; always-valid p = ${primary.sequentialP.toExponential(2)} < ${spec.alpha}; ${winner} is better`] };
  }
  return { ...base, state: 'not_significant', withheld: false, reasons: [`${spec.primary}: no significant difference yet (always-valid p = ${primary.sequentialP.toPrecision(3)} ≥ ${spec.alpha})`] };
}
