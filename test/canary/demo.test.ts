import { describe, expect, it } from 'vitest';
import { exitOf, runCliAsync } from '../support/cli.js';

describe('llmops demo canary (not a TTY: status lines)', () => {
  it('drives traffic through a real gateway, judges live answers, and ends when the controller rolls the degraded candidate back', async () => {
    const r = await exitOf(runCliAsync(['demo', 'canary', '--degrade-after', '3']));
    expect(r.stderr).toMatch(/^demo gateway on http:\/\/127\.0\.0\.1:\d+ \(simulated upstreams\); the candidate degrades after 3s$/m);
    const lines = r.stdout.trim().split('\n');
    // Healthy at first, with judged quality on both sides (online evaluation is on in the demo).
    expect(lines.some((l) => /stage=10% weight=10% err=0\.0%\/0\.0% .*quality=1\.000\/1\.000/.test(l))).toBe(true);
    // The last line is the rollback, naming its trigger; nothing is printed after it.
    expect(lines.at(-1)).toMatch(/stage=rolled back weight=0% .* rolled_back: (error_rate|p95_latency|quality|hallucination_rate) /);
    expect(r.code).toBe(0);
  }, 90_000);
});
