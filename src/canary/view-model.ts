import { formatCountdown } from './duration.js';
import type { WindowSnapshot } from './metric-source.js';
import type { CanaryStatusView } from './status-view.js';
import type { CanaryMetric, Evidence } from './triggers.js';

/** How close a candidate metric is to its rollback trigger: ok < 50% of the way, warn < 100%, alert beyond. */
export type Level = 'ok' | 'warn' | 'alert' | 'none';

export interface MetricRow {
  label: string;
  baseline: string;
  candidate: string;
  level: Level;
  /** Candidate values over the recent evaluations, for a sparkline. */
  series: number[];
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—');
const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)}ms` : '—');
const num = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export function levelOf(e: Evidence | undefined): Level {
  if (!e || e.status === 'insufficient' || !Number.isFinite(e.limit) || !Number.isFinite(e.candidate)) return 'none';
  if (e.status === 'breach' || e.status === 'over') return 'alert';
  // Distance travelled from the baseline value towards the limit (quality goes down, others up).
  const span = e.limit - e.baseline;
  const moved = e.candidate - e.baseline;
  const frac = span === 0 ? 0 : moved / span;
  return frac >= 0.5 ? 'warn' : 'ok';
}

const errRate = (s: WindowSnapshot) => (s.requests === 0 ? NaN : s.errors / s.requests);
const hallRate = (s: WindowSnapshot) => (s.hallucination.n === 0 ? NaN : s.hallucination.count / s.hallucination.n);
const thumbs = (s: WindowSnapshot) => (s.thumbs.n === 0 ? NaN : s.thumbs.up / s.thumbs.n);
const costPer = (s: WindowSnapshot) => (s.requests === 0 ? NaN : s.costUsd / s.requests);

/** The dashboard's metric table, built from the shortest window of the latest evaluation. */
export function metricRows(v: CanaryStatusView): MetricRow[] {
  const w = v.windows[0];
  // The row colour follows the shown window's test; the sequential test's stretch may be as long by chance.
  const ev = (m: CanaryMetric) => v.evidence.find((e) => e.metric === m && e.windowMs === w?.windowMs && e.threshold === undefined);
  const series = (f: (s: WindowSnapshot) => number) => v.history.map((h) => f(h.candidate));
  const row = (label: string, f: (s: WindowSnapshot) => number, show: (x: number) => string, level: Level = 'none'): MetricRow => ({
    label, baseline: w ? show(f(w.baseline)) : '—', candidate: w ? show(f(w.candidate)) : '—', level, series: series(f),
  });
  return [
    row('req/s', (s) => s.ratePerSec, (x) => num(x, 1)),
    row('error %', errRate, pct, levelOf(ev('error_rate'))),
    row('p50', (s) => s.p50Ms, ms),
    row('p95', (s) => s.p95Ms, ms, levelOf(ev('p95_latency'))),
    row('p99', (s) => s.p99Ms, ms),
    row('quality', (s) => s.quality.mean, (x) => num(x, 3), levelOf(ev('quality'))),
    row('hallucination', hallRate, pct, levelOf(ev('hallucination_rate'))),
    row('thumbs-up %', thumbs, pct),
    row('cost/request', costPer, (x) => (Number.isFinite(x) ? `$${x.toFixed(5)}` : '—')),
  ];
}

export function headline(v: CanaryStatusView): string {
  const state = v.paused ? 'PAUSED' : v.phase === 'stage' || v.phase === 'shadow' ? 'running' : v.phase.replace('_', ' ');
  const left = v.phase === 'stage' || v.phase === 'shadow' ? ` · ${formatCountdown(v.stageRemainingMs)} left in stage` : '';
  const blocked = v.blockedBy ? ` · held: ${v.blockedBy}` : '';
  return `${v.deployment}: ${v.candidate} vs ${v.baseline} · stage ${v.stage} (${v.stages.join(' → ')}) · ${state}${left}${blocked}`;
}

/** The candidate's share of what the deployment routes now (the stage's share when that is unknown). */
export function liveCandidateWeight(v: CanaryStatusView): number {
  return v.traffic ? v.traffic[v.candidate] ?? 0 : v.candidateWeight;
}

/** The deployment's actual split: baseline and candidate first, then any other variant with traffic. */
export function splitLine(v: CanaryStatusView): string {
  if (v.mirror) return `traffic: ${v.baseline} 100% · ${v.candidate} shadow (mirrored copy, answers not returned)`;
  if (!v.traffic) return `traffic: ${v.baseline} ${100 - v.candidateWeight}% · ${v.candidate} ${v.candidateWeight}%`;
  const t = v.traffic;
  const others = Object.entries(t).filter(([n, w]) => n !== v.baseline && n !== v.candidate && w > 0).map(([n, w]) => ` · ${n} ${w}%`);
  return `traffic: ${v.baseline} ${t[v.baseline] ?? 0}% · ${v.candidate} ${t[v.candidate] ?? 0}%${others.join('')}`;
}

const SPARK = '▁▂▃▄▅▆▇█';
export function sparkline(values: number[], width = 20): string {
  const xs = values.slice(-width).filter((x) => Number.isFinite(x));
  if (xs.length === 0) return '';
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return xs.map((x) => SPARK[hi === lo ? 0 : Math.round(((x - lo) / (hi - lo)) * (SPARK.length - 1))]).join('');
}

export function eventLines(v: CanaryStatusView, max = 6): string[] {
  const shown = v.events.slice(-max);
  const width = Math.max(11, ...shown.map((e) => e.kind.length));
  return shown.map((e) => `${new Date(e.atMs).toISOString().slice(11, 19)} ${e.kind.padEnd(width)} ${e.message}${e.actor ? ` (by ${e.actor})` : ''}`);
}

/** The whole status as plain text (`canary status`, and `canary watch` when stdout is not a TTY). */
export function formatStatusText(v: CanaryStatusView): string {
  const lines = [headline(v), splitLine(v)];
  if (v.reason) lines.push(`reason: ${v.reason}`);
  const rows = metricRows(v);
  if (v.windows.length > 0) {
    lines.push(`${'metric'.padEnd(14)}${'baseline'.padStart(12)}${'candidate'.padStart(12)}  status`);
    for (const r of rows) lines.push(`${r.label.padEnd(14)}${r.baseline.padStart(12)}${r.candidate.padStart(12)}  ${r.level === 'none' ? '' : r.level}`);
  }
  const ev = eventLines(v);
  if (ev.length > 0) lines.push('events:', ...ev.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** One line per poll for `canary watch` without a TTY. */
export function formatStatusLine(v: CanaryStatusView): string {
  const rows = metricRows(v);
  const get = (l: string) => rows.find((r) => r.label === l)!;
  const alerts = rows.filter((r) => r.level === 'alert').map((r) => r.label);
  return `${new Date(v.nowMs).toISOString()} ${v.deployment} stage=${v.stage}${v.paused ? ' paused' : ''} weight=${liveCandidateWeight(v)}% ` +
    `err=${get('error %').candidate}/${get('error %').baseline} p95=${get('p95').candidate}/${get('p95').baseline} ` +
    `quality=${get('quality').candidate}/${get('quality').baseline}${alerts.length ? ` ALERT ${alerts.join(',')}` : ''}` +
    (v.phase === 'stage' || v.phase === 'shadow' ? ` left=${formatCountdown(v.stageRemainingMs)}` : ` ${v.phase}${v.reason ? `: ${v.reason}` : ''}`);
}
