/** Human text for `llmops ab status` and one-line updates for `ab watch` (pure string building). */
import { formatCountdown } from '../canary/duration.js';
import type { ExperimentStatusView } from './view.js';

const num = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(digits));
const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const pval = (p: number | null | undefined): string => (p === null || p === undefined || !Number.isFinite(p) ? '–' : p < 0.001 ? p.toExponential(1) : p.toFixed(3));

const STATE_LABEL: Record<string, string> = {
  collecting: 'COLLECTING (decision withheld)',
  significant: 'SIGNIFICANT',
  not_significant: 'NO SIGNIFICANT DIFFERENCE (yet)',
  srm: 'SAMPLE RATIO MISMATCH (no conclusion)',
  guardrail_breach: 'GUARDRAIL BREACHED',
  stopped: 'STOPPED',
};

export function formatExperimentText(v: ExperimentStatusView): string {
  const d = v.decision;
  const lines: string[] = [];
  lines.push(`Experiment ${v.id} on ${v.deployment}: ${v.status}, started ${v.startedAt} (${formatCountdown(d.progress.elapsedMs)} ago)`);
  for (const arm of ['A', 'B'] as const) {
    const a = v.arms[arm];
    const share = arm === 'A' ? 100 - v.spec.splitB : v.spec.splitB;
    lines.push(`  ${arm}${arm === 'A' ? ' (control)' : '          '}  ${v.variants[arm].model} (variant ${v.variants[arm].variant}, ${share}%)  requests ${a.requests}  errors ${a.errors}  users ${a.units}  thumbs ${a.thumbs.up}↑ ${a.thumbs.down}↓  p50 ${num(a.latencyMs.p50)} ms  p95 ${num(a.latencyMs.p95)} ms  cost/req $${num(a.costPerRequestUsd)}`);
  }
  lines.push(`Decision: ${STATE_LABEL[d.state] ?? d.state}${d.winner ? ` — winner ${d.winner} (${v.variants[d.winner].model})` : ''}`);
  for (const r of d.reasons) lines.push(`  - ${r}`);
  const p = d.primary;
  lines.push(`Primary ${p.metric} (${p.better} is better): A ${num(p.a.value)} (n=${p.a.n})  B ${num(p.b.value)} (n=${p.b.n})  lift ${pct(p.lift)} [${Math.round((1 - v.spec.alpha) * 100)}% CI ${pct(p.liftCi?.[0])}, ${pct(p.liftCi?.[1])}]  ${p.test} p=${pval(p.pValue)}  always-valid p=${pval(p.sequentialP)} (alpha ${v.spec.alpha})`);
  lines.push(`Horizon: ${d.progress.samples.A}/${d.progress.minSamples} (A), ${d.progress.samples.B}/${d.progress.minSamples} (B) samples; ${formatCountdown(d.progress.elapsedMs)} of ${formatCountdown(d.progress.minDurationMs)}`);
  if (d.guardrails.length > 0) {
    lines.push('Guardrails (stop when B is significantly worse beyond the tolerance):');
    for (const g of d.guardrails) lines.push(`  ${g.metric.padEnd(13)} A ${num(g.a.value)} (n=${g.a.n})  B ${num(g.b.value)} (n=${g.b.n})  B−A ${num(g.diff)}  tolerated ${num(g.threshold)}  always-valid p=${pval(g.sequentialP)}  ${g.degraded ? 'DEGRADED' : 'ok'}`);
  }
  lines.push(`Sample ratio: ${d.srm.observed[0]} / ${d.srm.observed[1]} users for ${100 - v.spec.splitB}/${v.spec.splitB}, chi-square p=${pval(d.srm.pValue)}  ${d.srm.flagged ? 'MISMATCH' : 'ok'}${v.assignmentFlips > 0 ? `  (${v.assignmentFlips} requests changed arm!)` : ''}`);
  if (v.outcome) lines.push(`Outcome: ${v.outcome.kind}${v.outcome.winner ? ` (winner ${v.outcome.winner})` : ''} at ${new Date(v.outcome.at).toISOString()}: ${v.outcome.reason}`);
  return lines.join('\n');
}

/** One line per refresh for `ab watch` when stdout is not a terminal. */
export function formatExperimentLine(v: ExperimentStatusView, at: Date = new Date()): string {
  const d = v.decision;
  const p = d.primary;
  return `${at.toISOString()} ${v.deployment} ${d.state}${d.winner ? ` winner=${d.winner}` : ''} ${p.metric} A=${num(p.a.value)} (n=${p.a.n}) B=${num(p.b.value)} (n=${p.b.n}) lift=${pct(p.lift)} p=${pval(p.sequentialP)} srm=${d.srm.flagged ? 'MISMATCH' : 'ok'} guardrails=${d.guardrails.some((g) => g.degraded) ? 'DEGRADED' : 'ok'}`;
}
