import Table from 'cli-table3';
import type { ReviewReport } from './report.js';
import { DIMENSIONS } from './types.js';

const fmt = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(0)}%`);
const oneLine = (s: string, max: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

function scopeLine(r: ReviewReport): string {
  if (r.scope.batchId !== undefined) return `batch ${r.scope.batchId}`;
  return `responses logged ${r.scope.since ?? 'ever'} → ${r.scope.until ?? 'now'}`;
}

function headline(r: ReviewReport): string {
  return `Human review: ${scopeLine(r)} — ${r.graded} of ${r.items} items graded by ${r.reviewers.length} reviewer(s)${r.reviewers.length ? ` (${r.reviewers.join(', ')})` : ''}`;
}

/** Terminal tables (cli-table3): per deployment/variant, worst items, agreement. */
export function formatReportTable(r: ReviewReport): string {
  const groups = new Table({ head: ['deployment', 'variant', 'graded', ...DIMENSIONS.map((d) => `mean ${d}`), 'safety flags', 'problems'], style: { head: [], border: [] } });
  for (const g of r.groups) groups.push([g.deployment, g.variant, `${g.graded}/${g.items}`, ...DIMENSIONS.map((d) => fmt(g.mean[d])), String(g.safetyFlags), String(g.problems)]);
  const parts = [headline(r), groups.toString()];
  if (r.worst.length) {
    const worst = new Table({ head: ['request', 'deployment/variant', 'acc', 'help', 'safe', 'question', 'note'], style: { head: [], border: [] } });
    for (const w of r.worst) worst.push([w.requestId, `${w.deployment}/${w.variant}`, String(w.median.accuracy), String(w.median.helpfulness), String(w.median.safety), oneLine(w.question, 40), oneLine(w.notes.join('; '), 30)]);
    parts.push('Worst items (median grades):', worst.toString());
  }
  parts.push(formatAgreementTable(r));
  return `${parts.join('\n')}\n`;
}

export function formatAgreementTable(r: Pick<ReviewReport, 'agreement'>): string {
  const multi = r.agreement[0]?.items ?? 0;
  if (multi === 0) return 'Reviewer agreement: no item has two or more reviewers yet.';
  const t = new Table({ head: ['dimension', 'items', 'comparisons', 'exact', 'within 1', 'weighted kappa'], style: { head: [], border: [] } });
  for (const a of r.agreement) t.push([a.dimension, String(a.items), String(a.comparisons), pct(a.exact), pct(a.withinOne), fmt(a.kappa)]);
  return `Reviewer agreement (items graded by 2+ reviewers; quadratic-weighted kappa, mean over reviewer pairs):\n${t.toString()}`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The same report as Markdown, for a weekly write-up. */
export function formatReportMarkdown(r: ReviewReport): string {
  const out = [`# ${headline(r)}`, '', '## By deployment and variant', '', `| deployment | variant | graded | ${DIMENSIONS.map((d) => `mean ${d}`).join(' | ')} | safety flags | problems |`, `| --- | --- | --- | ${DIMENSIONS.map(() => '---').join(' | ')} | --- | --- |`];
  for (const g of r.groups) out.push(`| ${cell(g.deployment)} | ${cell(g.variant)} | ${g.graded}/${g.items} | ${DIMENSIONS.map((d) => fmt(g.mean[d])).join(' | ')} | ${g.safetyFlags} | ${g.problems} |`);
  out.push('', '## Worst items', '');
  if (r.worst.length === 0) out.push('Nothing graded yet.');
  for (const w of r.worst) {
    out.push(`### ${w.requestId} (${cell(w.deployment)}/${cell(w.variant)}): accuracy ${w.median.accuracy}, helpfulness ${w.median.helpfulness}, safety ${w.median.safety}`, '');
    out.push(`- **Question:** ${oneLine(w.question, 300)}`, `- **Response:** ${oneLine(w.response, 300)}`);
    if (w.correctedAnswer) out.push(`- **Corrected:** ${oneLine(w.correctedAnswer, 300)}`);
    if (w.notes.length) out.push(`- **Notes:** ${oneLine(w.notes.join('; '), 300)}`);
    out.push(`- Reviewers: ${w.reviewers.join(', ')}`, '');
  }
  out.push('## Reviewer agreement', '');
  if ((r.agreement[0]?.items ?? 0) === 0) out.push('No item has two or more reviewers yet.');
  else {
    out.push('| dimension | items | comparisons | exact | within 1 | weighted kappa |', '| --- | --- | --- | --- | --- | --- |');
    for (const a of r.agreement) out.push(`| ${a.dimension} | ${a.items} | ${a.comparisons} | ${pct(a.exact)} | ${pct(a.withinOne)} | ${fmt(a.kappa)} |`);
  }
  return `${out.join('\n')}\n`;
}
