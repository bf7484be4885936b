import { METRICS, type MetricName } from './metrics.js';
import type { GateVerdict } from './types.js';

/**
 * Noise of each metric from an A/A comparison (the same model run twice): the largest change
 * that comparison could not rule out — the far end of the interval in either direction, and the
 * rare-flip bound. As a margin it lets a rerun of the same model pass: by construction the A/A
 * pair passes its own gate with these margins. Relative metrics (latency, TTFT, cost) are
 * stored as a fraction of the baseline value.
 */
export function noiseFromAA(aa: GateVerdict): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  for (const m of aa.metrics) {
    const c = m.comparison;
    if (!c || !m.baseline) continue;
    const abs = Math.max(Math.abs(c.ci[0]), Math.abs(c.ci[1]), -c.improvementLowerBound, 0);
    if (!Number.isFinite(abs)) continue;
    const value = METRICS[m.metric].marginKind === 'relative' ? (m.baseline.value !== 0 ? abs / Math.abs(m.baseline.value) : NaN) : abs;
    // Round up a little so float noise in a re-evaluation cannot flip the A/A pass.
    if (Number.isFinite(value)) out[m.metric] = value * (1 + 1e-9) + 1e-12;
  }
  return out;
}
