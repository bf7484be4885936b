import { msprtLikelihoodRatio } from '../stats/index.js';
import { METRIC_INFO, type Comparison } from './compare.js';

/**
 * Looks with fewer observations per arm are not recorded: the plug-in variance of a handful of
 * observations is too noisy, and a spurious tiny p-value would stick in the running minimum.
 */
export const MIN_OBSERVATIONS_PER_LOOK = 30;

/**
 * The mixing variance τ² of the mSPRT: about the square of the effect worth detecting. Rates:
 * 3 points; means: 10% of the control mean (of one standard deviation when the mean is 0).
 */
export function mixingVariance(c: Comparison): number {
  if (METRIC_INFO[c.metric].kind === 'rate') return 0.03 ** 2;
  const scale = Math.abs(c.a.value) > 0 ? Math.abs(c.a.value) : Math.sqrt(c.a.unitVariance);
  return (0.1 * scale) ** 2;
}

/**
 * One look of an always-valid p-value for H0: B − A = theta0 (mSPRT, Johari et al. 2017),
 * folded into the running minimum `previous`. Valid however often it is looked at.
 */
export function sequentialLook(c: Comparison, previous: number | undefined, theta0 = 0): number {
  const prev = previous ?? 1;
  if (c.a.n < MIN_OBSERVATIONS_PER_LOOK || c.b.n < MIN_OBSERVATIONS_PER_LOOK) return prev;
  if (!(c.diffVariance > 0) || !Number.isFinite(c.diff)) return prev;
  const lambda = msprtLikelihoodRatio(c.diff, c.diffVariance, mixingVariance(c), theta0);
  return Math.min(prev, 1 / lambda);
}
