import type { MetricName } from './metrics.js';
import type { GatePolicy } from './policy.js';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface AbsoluteCheck {
  bound: 'min' | 'max';
  threshold: number;
  verdict: Verdict;
  /** One-sided p-value of "the metric is on the wrong side of the threshold" being false. */
  pFail: number;
  /** pFail after Holm correction across every check of this gate. */
  pFailAdjusted: number;
}

export interface ComparisonCheck {
  /** candidate − baseline, in the metric's unit. */
  diff: number;
  /** Confidence interval of `diff` (two-sided, policy confidence). */
  ci: [number, number];
  /** Margin in the metric's unit (relative margins already multiplied by the baseline value). */
  margin: number;
  /**
   * Lower confidence bound of the change in the metric's good direction (≥ −margin → pass). For
   * rates with few flips it includes the rare-flip Wilson bound, so it can be wider than the CI.
   */
  improvementLowerBound: number;
  marginSource: 'policy' | 'calibrated' | 'default';
  verdict: Verdict;
  pFail: number;
  pFailAdjusted: number;
  method: string;
  /** passRate only: exact McNemar on the case flips. */
  mcnemar?: { improved: number; regressed: number; pValue: number } | undefined;
  /** Latency/TTFT when unpaired: Mann–Whitney U two-sided p-value. */
  mannWhitneyP?: number | undefined;
}

export interface MetricVerdict {
  metric: MetricName;
  unit: string;
  verdict: Verdict;
  /** One line saying why. */
  reason: string;
  candidate: { value: number; n: number; ci?: [number, number] | undefined };
  baseline?: { value: number; n: number } | undefined;
  absolute?: AbsoluteCheck | undefined;
  comparison?: ComparisonCheck | undefined;
}

export interface CaseFlip {
  caseId: string;
  /** Pass share in the baseline and in the candidate (0..1; repeats averaged). */
  baselinePass: number;
  candidatePass: number;
  /** Judge score change when both have one. */
  judgeDelta?: number | undefined;
}

export interface GateVerdict {
  verdict: Verdict;
  suite: string;
  candidateRunId: string;
  candidateModel: string;
  baselineRunId: string | null;
  baselineModel: string | null;
  /** Paired on shared case ids, or independent samples when the runs share too few cases. */
  paired: boolean;
  sharedCases: number;
  candidateCases: number;
  baselineCases: number;
  confidence: number;
  resamples: number;
  seed: number | string;
  metrics: MetricVerdict[];
  /** Cases that passed in the baseline and fail now, worst first; and the reverse. */
  regressions: CaseFlip[];
  improvements: CaseFlip[];
  policy: GatePolicy;
  /** Warnings that do not change the verdict but that a reader must see (e.g. an uncalibrated judge). */
  notes?: string[] | undefined;
}
