import { UsageError } from '../errors.js';
import type { ResultRecord } from '../store/types.js';

export type CaseFilter = 'failed' | 'errors' | 'all';

export function parseCaseFilter(v: string): CaseFilter {
  if (v === 'failed' || v === 'errors' || v === 'all') return v;
  throw new UsageError(`--cases ${v}: expected failed, errors or all.`);
}

/** Plain listing of cases with their outcome and why, for `runs show --cases`. */
export function renderCaseList(results: Iterable<ResultRecord>, which: CaseFilter): string {
  const lines: string[] = [];
  for (const r of results) {
    if (which === 'failed' && r.outcome !== 'fail') continue;
    if (which === 'errors' && r.outcome !== 'error') continue;
    const id = r.repeat > 0 ? `${r.caseId}#${r.repeat}` : r.caseId;
    const why = r.outcome === 'error'
      ? `${r.errorKind}: ${r.errorMessage}`
      : r.scores.filter((s) => s.pass === false).map((s) => `${s.name}${s.reason ? `: ${s.reason}` : ''}`).join('; ');
    const out = (r.output ?? '').replace(/\s+/g, ' ').slice(0, 100);
    lines.push(`${r.outcome.padEnd(5)} ${id}${why ? `  — ${why}` : ''}${out ? `\n      output: ${out}` : ''}`);
  }
  return lines.length ? lines.join('\n') : `(no ${which === 'all' ? '' : `${which} `}cases)`;
}
