/** Statistics used across llmops: the gate, eval summaries, A/B tests and canaries. */
export { logGamma, logChoose, gammaP, gammaQ, betaInc } from './special.js';
export { normalCdf, normalSf, normalQuantile } from './normal.js';
export { studentTCdf, chiSquareCdf, chiSquareSf, binomialPmf, binomialCdf, binomialSf, binomialTest } from './distributions.js';
export { wilsonInterval } from './intervals.js';
export { percentile, percentileNearestRank, sortedCopy } from './percentile.js';
export { twoProportionZTest, fisherExact, type Alternative, type ZTestResult } from './proportions.js';
export { mcnemarExact, type McNemarResult } from './mcnemar.js';
export { moments, welchTTest, oneSampleTTest, type SampleMoments, type WelchResult } from './t-test.js';
export { mannWhitneyU, type MannWhitneyResult } from './mann-whitney.js';
export { chiSquareGoodnessOfFit } from './chi-square.js';
export { holmAdjust } from './holm.js';
export { createRng, seedToInt, type Rng } from './prng.js';
export { percentileInterval, bootstrapPairedMeanDiff, bootstrapMean, type BootstrapResult } from './bootstrap.js';
export { msprtLikelihoodRatio, msprtPValue, MsprtMonitor, proportionDiffVariance, type MsprtLook } from './msprt.js';
