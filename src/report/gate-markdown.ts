import { formatDelta, formatValue } from '../gate/format.js';
import type { GateVerdict, MetricVerdict } from '../gate/types.js';

const ICON = { pass: '✅ pass', fail: '❌ fail', inconclusive: '⚠️ inconclusive' } as const;

function target(m: MetricVerdict): string {
  if (!m.absolute) return '—';
  return `${m.absolute.bound === 'min' ? '≥' : '≤'} ${formatValue(m.metric, m.absolute.threshold)}`;
}

function change(m: MetricVerdict): string {
  const c = m.comparison;
  if (!c) return '—';
  return `${formatDelta(m.metric, c.diff)} (CI ${formatDelta(m.metric, c.ci[0])} … ${formatDelta(m.metric, c.ci[1])})`;
}

/** Markdown summary of a gate decision, for PR comments and `$GITHUB_STEP_SUMMARY`. */
export function renderGateMarkdown(v: GateVerdict, opts: { maxFlips?: number } = {}): string {
  const max = opts.maxFlips ?? 20;
  const lines: string[] = [];
  lines.push(`### llmops gate: ${ICON[v.verdict]}`, '');
  lines.push(`Suite **${v.suite}** · candidate \`${v.candidateRunId}\` (${v.candidateModel})` +
    (v.baselineRunId ? ` vs baseline \`${v.baselineRunId}\` (${v.baselineModel}) · ${v.paired ? `paired on ${v.sharedCases} shared cases` : 'unpaired'}` : ' · thresholds only'), '');
  lines.push('| metric | verdict | candidate | baseline | change (CI) | target | why |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const m of v.metrics) {
    lines.push(`| ${m.metric} | ${ICON[m.verdict]} | ${formatValue(m.metric, m.candidate.value)} | ${m.baseline ? formatValue(m.metric, m.baseline.value) : '—'} | ${change(m)} | ${target(m)} | ${m.reason.replace(/\|/g, '\\|')} |`);
  }
  for (const n of v.notes ?? []) lines.push('', `> **Warning:** ${n}`);
  if (v.regressions.length) {
    lines.push('', `**${v.regressions.length} regressed case${v.regressions.length === 1 ? '' : 's'}** (passed in the baseline, fail now), worst first:`, '');
    for (const f of v.regressions.slice(0, max)) lines.push(`- \`${f.caseId}\`${f.baselinePass !== 1 || f.candidatePass !== 0 ? ` (pass share ${formatValue('passRate', f.baselinePass)} → ${formatValue('passRate', f.candidatePass)})` : ''}`);
    if (v.regressions.length > max) lines.push(`- … and ${v.regressions.length - max} more`);
  }
  if (v.improvements.length) lines.push('', `${v.improvements.length} improved case${v.improvements.length === 1 ? '' : 's'} (failed in the baseline, pass now).`);
  lines.push('', `<sub>${Math.round(v.confidence * 100)}% intervals · ${v.resamples} bootstrap resamples · seed ${String(v.seed)} · Holm-corrected across ${v.metrics.length} metrics</sub>`, '');
  return lines.join('\n');
}
