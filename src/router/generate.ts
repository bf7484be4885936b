import { createRng } from '../stats/prng.js';
import type { LabelledRequest } from './pairs.js';
import { complexRequest } from './templates/complex.js';
import { mediumRequest } from './templates/medium.js';
import { simpleRequest } from './templates/simple.js';
import type { Tier } from './types.js';

/** Tier shares of the generated set: roughly the traffic the design expects (70/10/20) is too
 * thin on "mid" to learn it, so the training set is closer to balanced. */
export const DEFAULT_GENERATION_MIX: Record<Tier, number> = { fast: 0.45, mid: 0.3, powerful: 0.25 };

/**
 * Deterministic labelled requests from templates of simple, medium and complex requests: the
 * same seed and count always give the same pairs, and each label is correct by construction
 * (it is the tier of the template that wrote the request).
 */
export function generatePairs(count: number, seed: number, mix: Record<Tier, number> = DEFAULT_GENERATION_MIX): LabelledRequest[] {
  const rng = createRng(seed);
  const total = mix.fast + mix.mid + mix.powerful;
  const out: LabelledRequest[] = [];
  for (let i = 0; i < count; i++) {
    const u = rng.next() * total;
    out.push(u < mix.fast ? simpleRequest(rng) : u < mix.fast + mix.mid ? mediumRequest(rng) : complexRequest(rng));
  }
  return out;
}
