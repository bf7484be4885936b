import type { Score } from '../eval/scorers/types.js';
import type { ResultRecord } from '../store/types.js';

/** The metrics a gate can check. Names are part of the policy file format: keep them. */
export const METRIC_NAMES = [
  'passRate', 'judgeScore', 'hallucinationRate', 'errorRate', 'latencyP50', 'latencyP95', 'latencyP99', 'ttftP50', 'ttftP95', 'costPerCase',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Per-case columns extracted from results; one value per case (repeats averaged), NaN = not measured. */
export const COLUMNS = ['pass', 'judge', 'hallucination', 'error', 'latency', 'ttft', 'cost'] as const;
export type Column = (typeof COLUMNS)[number];

export interface MetricDef {
  name: MetricName;
  column: Column;
  /** `mean` of the per-case values, or a percentile `q` of them. */
  kind: 'mean' | 'quantile';
  q?: number;
  higherIsBetter: boolean;
  /** Per-case values are 0/1 (a rate): exact binomial tests apply. */
  binary: boolean;
  /** Margins and noise are absolute (points of a rate / score) or relative to the baseline value. */
  marginKind: 'absolute' | 'relative';
  unit: '%' | 'score' | 'ms' | 'USD';
}

export const METRICS: Record<MetricName, MetricDef> = {
  passRate: { name: 'passRate', column: 'pass', kind: 'mean', higherIsBetter: true, binary: true, marginKind: 'absolute', unit: '%' },
  judgeScore: { name: 'judgeScore', column: 'judge', kind: 'mean', higherIsBetter: true, binary: false, marginKind: 'absolute', unit: 'score' },
  hallucinationRate: { name: 'hallucinationRate', column: 'hallucination', kind: 'mean', higherIsBetter: false, binary: true, marginKind: 'absolute', unit: '%' },
  errorRate: { name: 'errorRate', column: 'error', kind: 'mean', higherIsBetter: false, binary: true, marginKind: 'absolute', unit: '%' },
  latencyP50: { name: 'latencyP50', column: 'latency', kind: 'quantile', q: 0.5, higherIsBetter: false, binary: false, marginKind: 'relative', unit: 'ms' },
  latencyP95: { name: 'latencyP95', column: 'latency', kind: 'quantile', q: 0.95, higherIsBetter: false, binary: false, marginKind: 'relative', unit: 'ms' },
  latencyP99: { name: 'latencyP99', column: 'latency', kind: 'quantile', q: 0.99, higherIsBetter: false, binary: false, marginKind: 'relative', unit: 'ms' },
  ttftP50: { name: 'ttftP50', column: 'ttft', kind: 'quantile', q: 0.5, higherIsBetter: false, binary: false, marginKind: 'relative', unit: 'ms' },
  ttftP95: { name: 'ttftP95', column: 'ttft', kind: 'quantile', q: 0.95, higherIsBetter: false, binary: false, marginKind: 'relative', unit: 'ms' },
  costPerCase: { name: 'costPerCase', column: 'cost', kind: 'mean', higherIsBetter: false, binary: false, marginKind: 'relative', unit: 'USD' },
};

/** One run's per-case table: `ids` sorted, every column aligned with it. */
export interface CaseTable {
  ids: string[];
  columns: Record<Column, Float64Array>;
  /** Results per case (repeats), for the flip listing. */
  repeats: Uint16Array;
}

export interface ExtractOptions {
  /** Score name that gives the judge score; default: scores named `llm-judge` or rubric-graded ones. */
  judgeScorer?: string | undefined;
}

function isJudgeScore(s: Score, opts: ExtractOptions): boolean {
  if (opts.judgeScorer) return s.name === opts.judgeScorer;
  return s.name === 'llm-judge' || (s.meta !== undefined && 'rubricHash' in s.meta && 'scale' in s.meta);
}

/** True / false when the result says whether the answer hallucinated; null when it does not know. */
export function hallucinated(scores: ReadonlyArray<Score>): boolean | null {
  let known: boolean | null = null;
  for (const s of scores) {
    const h = s.meta?.hallucination;
    if (typeof h === 'boolean') known = (known ?? false) || h;
    else if (s.name === 'faithfulness' && s.pass !== null) known = (known ?? false) || !s.pass;
  }
  return known;
}

interface Acc { sum: number; n: number }
const fresh = (): Record<Column, Acc> => ({
  pass: { sum: 0, n: 0 }, judge: { sum: 0, n: 0 }, hallucination: { sum: 0, n: 0 }, error: { sum: 0, n: 0 },
  latency: { sum: 0, n: 0 }, ttft: { sum: 0, n: 0 }, cost: { sum: 0, n: 0 },
});

/**
 * Turns a run's results into per-case values. With `--repeat`, each case's repeats are averaged
 * so cases (not calls) are the unit of resampling. Errors count only toward the error rate:
 * pass rate = pass / (pass + fail). Cached answers replay an old latency, so their latency and
 * TTFT are left out.
 */
export function extractCaseTable(results: Iterable<ResultRecord>, opts: ExtractOptions = {}): CaseTable {
  const byCase = new Map<string, { acc: Record<Column, Acc>; repeats: number }>();
  for (const r of results) {
    let e = byCase.get(r.caseId);
    if (!e) byCase.set(r.caseId, (e = { acc: fresh(), repeats: 0 }));
    const a = e.acc;
    e.repeats++;
    a.error.sum += r.outcome === 'error' ? 1 : 0;
    a.error.n++;
    if (r.outcome === 'error') continue;
    a.pass.sum += r.outcome === 'pass' ? 1 : 0;
    a.pass.n++;
    for (const s of r.scores) if (isJudgeScore(s, opts)) { a.judge.sum += s.value; a.judge.n++; }
    const h = hallucinated(r.scores);
    if (h !== null) { a.hallucination.sum += h ? 1 : 0; a.hallucination.n++; }
    if (r.latencyMs !== null && !r.cached) { a.latency.sum += r.latencyMs; a.latency.n++; }
    if (r.ttftMs !== null && !r.cached) { a.ttft.sum += r.ttftMs; a.ttft.n++; }
    if (r.costUsd !== null) { a.cost.sum += r.costUsd; a.cost.n++; }
  }
  const ids = [...byCase.keys()].sort();
  const n = ids.length;
  const columns = Object.fromEntries(COLUMNS.map((c) => [c, new Float64Array(n)])) as Record<Column, Float64Array>;
  const repeats = new Uint16Array(n);
  ids.forEach((id, i) => {
    const e = byCase.get(id)!;
    repeats[i] = Math.min(65535, e.repeats);
    for (const c of COLUMNS) {
      const acc = e.acc[c];
      columns[c][i] = acc.n === 0 ? NaN : acc.sum / acc.n;
    }
  });
  return { ids, columns, repeats };
}

/** Restricts a table to the given ids (which must be a sorted subset of its ids). */
export function selectCases(table: CaseTable, ids: ReadonlyArray<string>): CaseTable {
  const index = new Map(table.ids.map((id, i) => [id, i]));
  const columns = Object.fromEntries(COLUMNS.map((c) => {
    const src = table.columns[c];
    return [c, Float64Array.from(ids, (id) => src[index.get(id)!]!)];
  })) as Record<Column, Float64Array>;
  return { ids: [...ids], columns, repeats: Uint16Array.from(ids, (id) => table.repeats[index.get(id)!]!) };
}

/** Ids present in both (sorted inputs → sorted output). */
export function sharedIds(a: ReadonlyArray<string>, b: ReadonlyArray<string>): string[] {
  const out: string[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { out.push(a[i]!); i++; j++; } else if (a[i]! < b[j]!) i++; else j++;
  }
  return out;
}
