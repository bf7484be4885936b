import type { CaseTable } from './metrics.js';
import type { CaseFlip } from './types.js';

/**
 * Per-case flips between two runs on their shared cases (tables aligned on the same ids):
 * regressions (passed in the baseline, fail now) and improvements, worst first — by the size of
 * the pass-share change (repeats make it fractional), then by the judge-score change, then id.
 */
export function caseFlips(candidate: CaseTable, baseline: CaseTable): { regressions: CaseFlip[]; improvements: CaseFlip[] } {
  const regressions: CaseFlip[] = [];
  const improvements: CaseFlip[] = [];
  const cp = candidate.columns.pass, bp = baseline.columns.pass;
  const cj = candidate.columns.judge, bj = baseline.columns.judge;
  for (let i = 0; i < candidate.ids.length; i++) {
    const c = cp[i]!, b = bp[i]!;
    if (Number.isNaN(c) || Number.isNaN(b) || c === b) continue;
    const jd = cj[i]! - bj[i]!;
    const flip: CaseFlip = { caseId: candidate.ids[i]!, baselinePass: b, candidatePass: c, ...(Number.isNaN(jd) ? {} : { judgeDelta: jd }) };
    (c < b ? regressions : improvements).push(flip);
  }
  const byJudge = (f: CaseFlip) => f.judgeDelta ?? 0;
  regressions.sort((x, y) => (x.candidatePass - x.baselinePass) - (y.candidatePass - y.baselinePass) || byJudge(x) - byJudge(y) || (x.caseId < y.caseId ? -1 : 1));
  improvements.sort((x, y) => (y.candidatePass - y.baselinePass) - (x.candidatePass - x.baselinePass) || byJudge(y) - byJudge(x) || (x.caseId < y.caseId ? -1 : 1));
  return { regressions, improvements };
}
