import Table from 'cli-table3';
import { formatDelta, formatValue } from '../gate/format.js';
import type { GateVerdict } from '../gate/types.js';

const paint = (color: boolean, code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[39m` : s);

/** Terminal rendering of a gate decision: one row per metric, then the regressed cases. */
export function renderGateText(v: GateVerdict, opts: { color?: boolean; maxFlips?: number; title?: string } = {}): string {
  const color = opts.color ?? false;
  const word = (x: GateVerdict['verdict']) => paint(color, x === 'pass' ? 32 : x === 'fail' ? 31 : 33, x.toUpperCase());
  const table = new Table({ head: ['metric', 'verdict', 'candidate', 'baseline', 'change (CI)', 'target'], style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] } });
  for (const m of v.metrics) {
    const c = m.comparison;
    table.push([
      m.metric, word(m.verdict), formatValue(m.metric, m.candidate.value), m.baseline ? formatValue(m.metric, m.baseline.value) : '—',
      c ? `${formatDelta(m.metric, c.diff)} (${formatDelta(m.metric, c.ci[0])} … ${formatDelta(m.metric, c.ci[1])})` : '—',
      m.absolute ? `${m.absolute.bound === 'min' ? '≥' : '≤'} ${formatValue(m.metric, m.absolute.threshold)}` : '—',
    ]);
  }
  const lines = [
    `${opts.title ?? 'gate'} ${word(v.verdict)} · suite ${v.suite} · ${v.candidateRunId} (${v.candidateModel})${v.baselineRunId ? ` vs ${v.baselineRunId} (${v.baselineModel}), ${v.paired ? `paired on ${v.sharedCases} cases` : 'unpaired'}` : ', thresholds only'}`,
    table.toString(),
    ...v.metrics.filter((m) => m.verdict !== 'pass').map((m) => `  ${m.metric}: ${m.reason}`),
    ...(v.notes ?? []).map((n) => `  warning: ${n}`),
  ];
  const max = opts.maxFlips ?? 10;
  if (v.regressions.length) {
    lines.push(`regressed cases (passed in the baseline, fail now), worst first: ${v.regressions.length}`);
    for (const f of v.regressions.slice(0, max)) lines.push(`  ${f.caseId}${f.judgeDelta !== undefined ? `  judge ${formatDelta('judgeScore', f.judgeDelta)}` : ''}`);
    if (v.regressions.length > max) lines.push(`  … ${v.regressions.length - max} more (--json lists all)`);
  }
  if (v.improvements.length) lines.push(`improved cases: ${v.improvements.length}`);
  return lines.join('\n');
}
