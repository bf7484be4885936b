import { extractFeatures, FEATURE_COUNT } from './features.js';
import { toRouteRequest, type LabelledRequest } from './pairs.js';
import type { TrainingMatrix } from './train.js';
import { tierRank } from './types.js';

/** Feature rows and label indices of labelled requests, ready for training or evaluation. */
export function toMatrix(pairs: readonly LabelledRequest[]): TrainingMatrix {
  const n = pairs.length;
  const x = new Float64Array(n * FEATURE_COUNT);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    extractFeatures(toRouteRequest(pairs[i]!), x.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT));
    y[i] = tierRank(pairs[i]!.tier);
  }
  return { x, y, n };
}
