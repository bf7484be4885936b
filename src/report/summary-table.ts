import Table from 'cli-table3';
import type { RunSummary } from '../eval/summary.js';
import { formatMean, int, ms, pct, usd } from './format.js';
import { modelLabel } from './model-label.js';

/** The results table `llmops eval` and `llmops runs show` print. */
export function renderSummaryTable(summaries: RunSummary[], opts: { color?: boolean } = {}): string {
  const table = new Table({
    head: ['model', 'suite', 'results', 'pass rate (95% CI)', 'errors', 'p50', 'p95', 'p99', 'TTFT p50', 'tokens in/out', 'cost', 'status'],
    style: { head: opts.color === false ? [] : ['cyan'], border: opts.color === false ? [] : ['grey'] },
  });
  for (const s of summaries) {
    const ci = s.passRateCI ? ` (${pct(s.passRateCI[0])}–${pct(s.passRateCI[1])})` : '';
    table.push([
      modelLabel(s),
      s.suite,
      s.results === s.planned ? int(s.results) : `${int(s.results)}/${int(s.planned)}`,
      `${pct(s.passRate)}${ci}`,
      s.error === 0 ? '0' : `${int(s.error)} (${pct(s.errorRate)})`,
      ms(s.latencyMs?.p50), ms(s.latencyMs?.p95), ms(s.latencyMs?.p99), ms(s.ttftMs?.p50),
      `${int(s.inputTokens)}/${int(s.outputTokens)}`,
      usd(s.costUsd),
      s.status,
    ]);
  }
  return table.toString();
}

/** Per-scorer means, one row per run × scorer; `errors` counts results the scorer could not evaluate. */
export function renderScoresTable(summaries: RunSummary[], opts: { color?: boolean } = {}): string {
  const table = new Table({ head: ['model', 'suite', 'scorer', 'n', 'mean', 'pass rate', 'errors'], style: { head: opts.color === false ? [] : ['cyan'], border: opts.color === false ? [] : ['grey'] } });
  for (const s of summaries) {
    for (const sc of s.scores) table.push([modelLabel(s), s.suite, sc.name, int(sc.n), sc.mean === null ? '—' : formatMean(sc.mean), pct(sc.passRate), int(sc.errors)]);
  }
  return table.toString();
}

/** One line per run with judge scorers: hallucination rate, mean judge scores, and what judging cost. */
export function renderJudgeLines(summaries: RunSummary[]): string[] {
  const lines: string[] = [];
  for (const s of summaries) {
    const j = s.judge;
    if (!j) continue;
    const parts = [
      ...j.hallucination.map((h) => `${h.name}: hallucination ${pct(h.rate)} (${pct(h.interval[0])}–${pct(h.interval[1])}, n=${int(h.n)})`),
      ...j.judgeScores.map((g) => `${g.name}: mean ${g.mean.toFixed(3)} (${g.interval[0].toFixed(3)}–${g.interval[1].toFixed(3)})`),
      `judge calls ${int(j.usage.calls)}${j.usage.cached ? ` (+${int(j.usage.cached)} cached verdicts)` : ''}, tokens ${int(j.usage.inputTokens)}/${int(j.usage.outputTokens)}, cost ${usd(j.usage.costUsd)}`,
    ];
    lines.push(`judge · ${s.model} · ${s.suite}: ${parts.join(' · ')}`);
  }
  return lines;
}
