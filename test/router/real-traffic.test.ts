import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/router/load-model.js';
import { realTrafficMix } from '../../src/router/real-traffic-report.js';
import { repoRoot } from '../support/cli.js';

/**
 * The shipped model was trained only on generated template requests; here it meets real text.
 * Measured at commit time (README "Complexity routing"): Banking77 93.5% fast, GSM8K 100%
 * mid/powerful. The thresholds leave room for retraining without hiding a regression.
 */
describe('shipped model on real traffic-like text (never trained on)', () => {
  const [banking, gsm8k] = realTrafficMix(loadModel(), repoRoot);

  it('Banking77 customer-support queries mostly go to the fast tier (≥ 90%)', () => {
    expect(banking!.count).toBe(3080);
    expect(banking!.mix.fast).toBeGreaterThanOrEqual(0.9);
    expect(banking!.mix.powerful).toBeLessThanOrEqual(0.02);
  });

  it('GSM8K multi-step math problems go to mid or powerful (≥ 97%)', () => {
    expect(gsm8k!.count).toBe(1319);
    expect(gsm8k!.mix.mid + gsm8k!.mix.powerful).toBeGreaterThanOrEqual(0.97);
  });
});
