/**
 * A/B experiment vocabulary shared by the pure core (tally, compare, decide) and the gateway
 * engine. Variant A is always the control (the deployment's current model), B the treatment.
 */
export const EXPERIMENT_METRICS = ['thumbs_up', 'task_success', 'quality', 'latency', 'cost', 'hallucination', 'error_rate'] as const;
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];
/** Metrics that may be declared primary on the command line. */
export const PRIMARY_METRICS = ['thumbs_up', 'task_success', 'quality', 'latency', 'cost'] as const;
export type PrimaryMetric = (typeof PRIMARY_METRICS)[number];

export type ArmName = 'A' | 'B';

export interface GuardrailSpec {
  metric: ExperimentMetric;
  /**
   * Harm tolerated before the guardrail counts as degraded: absolute points for rates
   * (0.02 = 2 points), a relative share of the control mean for continuous metrics (0.5 = +50%).
   */
  margin: number;
}

export interface ExperimentSpec {
  deployment: string;
  /** Gateway upstream of each arm; A is the control. */
  arms: { A: string; B: string };
  /** Percent of traffic to B (A gets the rest). */
  splitB: number;
  primary: PrimaryMetric;
  guardrails: GuardrailSpec[];
  /** Per-arm samples of the primary metric needed before any conclusion. */
  minSamples: number;
  /** Wall-clock time needed before any conclusion (weekly patterns: 7 days by default). */
  minDurationMs: number;
  /** Significance level of the primary metric (two-sided). */
  alpha: number;
  /** Guardrails stop the experiment at this always-valid p-value. */
  guardrailAlpha: number;
  /** Per-arm samples a guardrail needs before it may stop the experiment. */
  guardrailMinSamples: number;
}

/** Sufficient statistics of one arm since the experiment started (JSON-safe). */
export interface ArmTally {
  requests: number;
  errors: number;
  thumbsUp: number;
  thumbsDown: number;
  quality: Moments;
  hallucination: { n: number; count: number };
  latency: Moments;
  cost: Moments;
  /** A bounded uniform sample of latencies (ms) for the rank test and percentiles. */
  latencySample: number[];
  /** Randomisation units seen: distinct users, and anonymous requests (each its own unit). */
  units: number;
}

/** Running sums: n, mean and M2 (Welford), so variance = m2 / (n − 1). */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
}

export type ExperimentStatus = 'running' | 'stopped';

/** How an experiment ended. */
export interface ExperimentOutcome {
  at: number;
  /** `winner`: stop --winner; `auto_stop`: guardrail; `manual`: stopped without a winner. */
  kind: 'winner' | 'auto_stop' | 'manual';
  winner?: ArmName | undefined;
  reason: string;
}

/** What is persisted per experiment (and survives a gateway restart). */
export interface ExperimentRecord {
  id: string;
  spec: ExperimentSpec;
  status: ExperimentStatus;
  startedAt: number;
  /** Registry variant names of the arms (A is the deployment's baseline variant). */
  variantNames: { A: string; B: string };
  tallies: { A: ArmTally; B: ArmTally };
  /** Running minimum of the always-valid (mSPRT) p-values, per metric. */
  sequentialP: Partial<Record<ExperimentMetric, number>>;
  outcome?: ExperimentOutcome | undefined;
  /** Requests whose arm differed from the user's first arm: must stay 0 (sticky assignment). */
  flips: number;
  /** The decision state at the last tick (events are recorded on changes). */
  lastState?: string | undefined;
}
