import { describe, expect, it } from 'vitest';
import { formatExplanation } from '../../src/router/format.js';
import type { Prediction } from '../../src/router/model.js';
import type { RouteDecision } from '../../src/router/types.js';

// `router explain` text: every reason shows what the classifier said, an override included.
describe('formatExplanation', () => {
  const prediction: Prediction = { tier: 'fast', confidence: 0.62, probabilities: { fast: 0.62, mid: 0.3, powerful: 0.08 } };
  const tierLine = (d: RouteDecision) => formatExplanation('q', d, prediction, [], 0).split('\n')[1];

  it('names the reason (and rule) and what the classifier said, whatever decided the tier', () => {
    expect(tierLine({ tier: 'powerful', confidence: 1, reason: 'override', rule: 'legal' })).toBe('Tier: powerful (override: legal; classifier said fast)');
    expect(tierLine({ tier: 'mid', confidence: 0.62, reason: 'low_confidence', predicted: 'fast' })).toBe('Tier: mid (low_confidence; classifier said fast)');
    expect(tierLine({ tier: 'fast', confidence: 0.62, reason: 'classifier', predicted: 'fast' })).toBe('Tier: fast (classifier; classifier said fast)');
  });
});
