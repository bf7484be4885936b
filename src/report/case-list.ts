import { UsageError } from '../errors.js';
import type { ResultRecord } from '../store/types.js';

export type CaseFilter = 'failed' | 'errors' | 'all';

export function parseCaseFilter(v: string): CaseFilter {
  if (v === 'failed' || v === 'errors' || v === 'all') return v;
  throw new UsageError(`--cases ${v}: expected failed, errors or all.`);
}

/**
 * Which results `--cases` lists. `errors` also lists results whose outcome a non-gating scorer's
 * error left alone: that is where a broken scorer shows.
 */
export function matchesCaseFilter(r: ResultRecord, which: CaseFilter): boolean {
  if (which === 'failed') return r.outcome === 'fail';
  if (which === 'errors') return r.outcome === 'error' || (r.scoreErrors?.length ?? 0) > 0;
  return true;
}

/** Why a result has its outcome: the error, the failing scores, and any scorer that could not score. */
function reasons(r: ResultRecord): string[] {
  const why = r.outcome === 'error'
    ? [`${r.errorKind}: ${r.errorMessage}`]
    : r.scores.filter((s) => s.pass === false).map((s) => `${s.name}${s.reason ? `: ${s.reason}` : ''}`);
  // A gating scorer's error is already in errorMessage; the others are listed here.
  for (const e of r.scoreErrors ?? []) {
    if (r.errorKind === 'scorer' && r.errorMessage?.includes(`${e.name}: ${e.message}`)) continue;
    why.push(`${e.name} could not score: ${e.message}`);
  }
  return why;
}

/** Plain listing of cases with their outcome and why, for `runs show --cases`. */
export function renderCaseList(results: Iterable<ResultRecord>, which: CaseFilter): string {
  const lines: string[] = [];
  for (const r of results) {
    if (!matchesCaseFilter(r, which)) continue;
    const id = r.repeat > 0 ? `${r.caseId}#${r.repeat}` : r.caseId;
    const why = reasons(r).join('; ');
    const out = (r.output ?? '').replace(/\s+/g, ' ').slice(0, 100);
    lines.push(`${r.outcome.padEnd(5)} ${id}${why ? `  — ${why}` : ''}${out ? `\n      output: ${out}` : ''}`);
  }
  return lines.length ? lines.join('\n') : `(no ${which === 'all' ? '' : `${which} `}cases)`;
}
