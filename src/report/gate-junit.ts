import type { GateVerdict } from '../gate/types.js';
import { formatDelta, formatValue } from '../gate/format.js';
import { xmlEscape } from './xml.js';

/**
 * JUnit XML with one testcase per gated metric: fail → <failure>, inconclusive → <skipped>
 * (CI systems show it without failing the suite; the exit code still decides).
 */
export function renderGateJUnit(v: GateVerdict): string {
  const failures = v.metrics.filter((m) => m.verdict === 'fail').length;
  const skipped = v.metrics.filter((m) => m.verdict === 'inconclusive').length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="llmops gate" tests="${v.metrics.length}" failures="${failures}" skipped="${skipped}">`);
  out.push(`  <testsuite name="gate ${xmlEscape(v.suite)}: ${xmlEscape(v.candidateRunId)} vs ${xmlEscape(v.baselineRunId ?? 'thresholds')}" tests="${v.metrics.length}" failures="${failures}" skipped="${skipped}">`);
  for (const m of v.metrics) {
    const numbers = [
      `candidate ${formatValue(m.metric, m.candidate.value)} (n=${m.candidate.n})`,
      m.baseline ? `baseline ${formatValue(m.metric, m.baseline.value)} (n=${m.baseline.n})` : '',
      m.comparison ? `diff ${formatDelta(m.metric, m.comparison.diff)} CI [${formatDelta(m.metric, m.comparison.ci[0])}, ${formatDelta(m.metric, m.comparison.ci[1])}]` : '',
    ].filter(Boolean).join('; ');
    out.push(`    <testcase classname="llmops.gate.${xmlEscape(v.suite)}" name="${m.metric}">`);
    if (m.verdict === 'fail') out.push(`      <failure message="${xmlEscape(m.reason)}">${xmlEscape(numbers)}</failure>`);
    else if (m.verdict === 'inconclusive') out.push(`      <skipped message="inconclusive: ${xmlEscape(m.reason)}"/>`);
    out.push(`      <system-out>${xmlEscape(`${m.reason}\n${numbers}`)}</system-out>`, '    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}
