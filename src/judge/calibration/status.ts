import type { Db } from '../../store/index.js';
import { fixed } from './format.js';
import { latestCalibration, type CalibrationRecord } from './store.js';

export const DEFAULT_MIN_KAPPA = 0.6;

export interface JudgeCalibrationStatus {
  /** `calibrated`: kappa at or above the floor; `below-floor`; `uncalibrated`: never calibrated with this rubric. */
  status: 'calibrated' | 'below-floor' | 'uncalibrated';
  judgeModel: string;
  rubricHash: string;
  minKappa: number;
  kappa: number | null;
  calibration?: CalibrationRecord | undefined;
  /** One line for the gate's output. */
  message: string;
}

/**
 * Can a gate trust scores from this judge + rubric? The gate calls this for every judge-scored
 * metric and prints `message` when the status is not `calibrated`. Pure read; no side effects.
 */
export function judgeCalibrationStatus(db: Db, judgeModel: string, rubricHash: string, minKappa: number = DEFAULT_MIN_KAPPA): JudgeCalibrationStatus {
  const calibration = latestCalibration(db, judgeModel, rubricHash);
  const base = { judgeModel, rubricHash, minKappa };
  if (!calibration) {
    return {
      ...base,
      status: 'uncalibrated',
      kappa: null,
      message: `judge ${judgeModel} (rubric ${rubricHash}) has no calibration against human labels; run \`llmops judge calibrate\``,
    };
  }
  const kappa = calibration.primaryKappa;
  if (kappa === null || kappa < minKappa) {
    return {
      ...base,
      status: 'below-floor',
      kappa,
      calibration,
      message: `judge ${judgeModel} (rubric ${rubricHash}) agrees with humans at kappa ${kappa === null ? 'undefined' : fixed(kappa, 2)}, below the floor ${minKappa} (judge.minKappa); treat its scores with caution`,
    };
  }
  return {
    ...base,
    status: 'calibrated',
    kappa,
    calibration,
    message: `judge ${judgeModel} (rubric ${rubricHash}) calibrated: kappa ${fixed(kappa, 2)} ≥ ${minKappa} on ${calibration.report.n} labels`,
  };
}

/**
 * The calibration status of every judge (model + rubric hash) that produced any of `scores`,
 * one entry per pair. The gate passes a run's scores and prints the messages of entries whose
 * status is not `calibrated`.
 */
export function judgeCalibrationStatuses(
  db: Db,
  scores: Iterable<{ meta?: Record<string, unknown> | undefined }>,
  minKappa: number = DEFAULT_MIN_KAPPA,
): JudgeCalibrationStatus[] {
  const pairs = new Map<string, { judgeModel: string; rubricHash: string }>();
  for (const s of scores) {
    const m = s.meta;
    if (typeof m?.judgeModel !== 'string' || typeof m.rubricHash !== 'string') continue;
    pairs.set(`${m.judgeModel}\u0000${m.rubricHash}`, { judgeModel: m.judgeModel, rubricHash: m.rubricHash });
  }
  return [...pairs.values()].map((p) => judgeCalibrationStatus(db, p.judgeModel, p.rubricHash, minKappa));
}
