import { METRICS, type MetricName } from './metrics.js';

/** A metric value for people: rates in %, scores to 3 decimals, ms rounded, USD to 3 significant digits. */
export function formatValue(metric: MetricName, v: number): string {
  if (!Number.isFinite(v)) return '—';
  switch (METRICS[metric].unit) {
    case '%': return `${(v * 100).toFixed(1)}%`;
    case 'score': return v.toFixed(3);
    case 'ms': return `${Math.round(v)} ms`;
    case 'USD': return `$${v.toPrecision(3)}`;
  }
}

/** A difference: rates in points, others in their unit, always signed. */
export function formatDelta(metric: MetricName, d: number): string {
  if (!Number.isFinite(d)) return '—';
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const a = Math.abs(d);
  switch (METRICS[metric].unit) {
    case '%': return `${sign}${(a * 100).toFixed(1)} pts`;
    case 'score': return `${sign}${a.toFixed(3)}`;
    case 'ms': return `${sign}${Math.round(a)} ms`;
    case 'USD': return `${sign}$${a.toPrecision(3)}`;
  }
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p < 0.0001 ? 'p<0.0001' : `p=${p.toPrecision(2)}`;
}
