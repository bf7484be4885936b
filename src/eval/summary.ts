import type { RunStore } from '../store/run-store.js';
import type { RunRecord } from '../store/types.js';
import { percentile, wilsonInterval } from '../stats/index.js';
import { summarizeJudgeScores, type JudgeMetrics } from '../judge/metrics.js';
import type { Score } from './scorers/types.js';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface ScoreSummary {
  name: string;
  /** Results this scorer evaluated. */
  n: number;
  /** Mean value over those n; null when it evaluated none (every attempt was an error). */
  mean: number | null;
  /** Share of judged results that passed this scorer; null when it only measures. */
  passRate: number | null;
  /** Results this scorer could not evaluate (not counted in n, mean or passRate). */
  errors: number;
}

/** Metrics of one run, as shown in the table and written to reports. */
export interface RunSummary {
  runId: string;
  suite: string;
  model: string;
  provider: string;
  synthetic: boolean;
  status: RunRecord['status'];
  planned: number;
  results: number;
  pass: number;
  fail: number;
  error: number;
  /** pass / (pass + fail): errors are neither. Null with nothing judged. */
  passRate: number | null;
  /** 95% Wilson score interval of passRate. */
  passRateCI: [number, number] | null;
  errorRate: number;
  scores: ScoreSummary[];
  latencyMs: Percentiles | null;
  ttftMs: Percentiles | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  costPerCaseUsd: number | null;
  cachedResults: number;
  /** Hallucination rates, mean judge scores (with intervals) and what judging cost; null without judge scorers. */
  judge: JudgeMetrics | null;
}

function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
}

/** Streams a run's stored results once and computes its summary. */
export function summarizeRun(store: RunStore, runOrId: RunRecord | string): RunSummary {
  const run = typeof runOrId === 'string' ? store.getRun(runOrId) : runOrId;
  let pass = 0, fail = 0, error = 0, inTok = 0, outTok = 0, cost = 0, costKnown = false, cachedResults = 0;
  const latencies: number[] = [];
  const ttfts: number[] = [];
  const scoreAcc = new Map<string, { n: number; sum: number; judged: number; passed: number; errors: number }>();
  const acc = (name: string) => {
    let a = scoreAcc.get(name);
    if (!a) scoreAcc.set(name, (a = { n: 0, sum: 0, judged: 0, passed: 0, errors: 0 }));
    return a;
  };
  const judgeScores: Score[] = [];
  for (const r of store.iterateResults(run.id)) {
    if (r.outcome === 'pass') pass++;
    else if (r.outcome === 'fail') fail++;
    else error++;
    inTok += r.inputTokens;
    outTok += r.outputTokens;
    if (r.costUsd !== null) { cost += r.costUsd; costKnown = true; }
    if (r.cached) cachedResults++;
    // Cached answers replay an old latency; they would skew the live percentiles.
    if (r.latencyMs !== null && !r.cached) latencies.push(r.latencyMs);
    if (r.ttftMs !== null && !r.cached) ttfts.push(r.ttftMs);
    for (const s of r.scores) {
      if (typeof s.meta?.judgeModel === 'string') judgeScores.push(s);
      const a = acc(s.name);
      a.n++;
      a.sum += s.value;
      if (s.pass !== null) { a.judged++; if (s.pass) a.passed++; }
    }
    for (const e of r.scoreErrors ?? []) acc(e.name).errors++;
  }
  const judged = pass + fail;
  const results = pass + fail + error;
  const ci = judged > 0 ? wilsonInterval(pass, judged, 0.95) : null;
  return {
    runId: run.id, suite: run.suite, model: run.model, provider: run.provider, synthetic: run.synthetic, status: run.status,
    planned: run.planned, results, pass, fail, error,
    passRate: judged > 0 ? pass / judged : null,
    passRateCI: ci,
    errorRate: results > 0 ? error / results : 0,
    scores: [...scoreAcc.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, a]) => ({
      name, n: a.n, mean: a.n > 0 ? a.sum / a.n : null, passRate: a.judged > 0 ? a.passed / a.judged : null, errors: a.errors,
    })),
    latencyMs: percentiles(latencies), ttftMs: percentiles(ttfts),
    inputTokens: inTok, outputTokens: outTok,
    costUsd: costKnown ? cost : null,
    costPerCaseUsd: costKnown && results > 0 ? cost / results : null,
    cachedResults,
    judge: judgeScores.length ? summarizeJudgeScores(judgeScores) : null,
  };
}
