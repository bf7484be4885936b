import type { RunSummary } from '../eval/summary.js';
import { formatMean, int, ms, pct, usd } from './format.js';
import { syntheticSource } from './model-label.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');
const model = (s: RunSummary) => {
  const source = syntheticSource(s);
  return `${cell(s.model)}${source ? ` *(${source})*` : ''}`;
};

/** The eval summary as a GitHub-flavoured Markdown table. */
export function renderMarkdownSummary(summaries: RunSummary[]): string {
  const lines = [
    '## llmops eval',
    '',
    '| model | suite | results | pass rate (95% CI) | errors | p50 | p95 | p99 | cost | status |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of summaries) {
    const ci = s.passRateCI ? ` (${pct(s.passRateCI[0])}–${pct(s.passRateCI[1])})` : '';
    lines.push(`| ${model(s)} | ${cell(s.suite)} | ${int(s.results)} | ${pct(s.passRate)}${ci} | ${int(s.error)} | ${ms(s.latencyMs?.p50)} | ${ms(s.latencyMs?.p95)} | ${ms(s.latencyMs?.p99)} | ${usd(s.costUsd)} | ${s.status} |`);
  }
  const withScores = summaries.filter((s) => s.scores.length > 0);
  if (withScores.length > 0) {
    lines.push('', '| model | suite | scorer | n | mean | pass rate | errors |', '| --- | --- | --- | ---: | ---: | ---: | ---: |');
    for (const s of withScores) {
      for (const sc of s.scores) lines.push(`| ${model(s)} | ${cell(s.suite)} | ${cell(sc.name)} | ${int(sc.n)} | ${sc.mean === null ? '—' : formatMean(sc.mean)} | ${pct(sc.passRate)} | ${int(sc.errors)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
