import type { Score } from '../eval/scorers/types.js';
import { bootstrapMean, createRng, wilsonInterval } from '../stats/index.js';

/** Hallucination rate of one faithfulness scorer, with its 95% Wilson interval. */
export interface HallucinationMetric {
  name: string;
  n: number;
  hallucinations: number;
  rate: number;
  interval: [number, number];
}

/** Mean normalised (0..1) judge score of one llm-judge / pairwise scorer, with a 95% bootstrap interval. */
export interface JudgeScoreMetric {
  name: string;
  n: number;
  mean: number;
  interval: [number, number];
  /** Judge models and rubric hashes seen: more than one means scores that should not be mixed. */
  judges: Array<{ judgeModel: string; rubricHash: string; n: number }>;
}

/** What judging cost, apart from the candidate's own tokens: requests actually sent to a judge. */
export interface JudgeUsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** null when some judge had no price. */
  costUsd: number | null;
  /** Judge scores answered from the judge cache: no call, no tokens, no cost. */
  cached: number;
}

export interface JudgeMetrics {
  hallucination: HallucinationMetric[];
  judgeScores: JudgeScoreMetric[];
  usage: JudgeUsageTotals;
}

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

/**
 * Aggregates the judge scores of a run (errors never reach here: they have no score).
 * Faithfulness scores are recognised by `meta.hallucination`; graded judge scores by
 * `meta.rubricHash` with a numeric `value`. The bootstrap is seeded by the scorer name, so the
 * same scores always give the same interval.
 */
export function summarizeJudgeScores(scores: Iterable<Score>, opts: { resamples?: number; confidence?: number } = {}): JudgeMetrics {
  const halluc = new Map<string, { n: number; k: number }>();
  const graded = new Map<string, { values: number[]; judges: Map<string, { judgeModel: string; rubricHash: string; n: number }> }>();
  const usage: JudgeUsageTotals = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, cached: 0 };
  for (const s of scores) {
    const m = s.meta;
    if (!m || typeof m.judgeModel !== 'string') continue;
    if (m.judgeCached === true) {
      // Scores stored before cached verdicts counted as 0 calls still carry the original call's
      // tokens: a cached verdict spent nothing in this run either way.
      usage.cached++;
    } else {
      usage.calls += num(m.judgeCalls);
      usage.inputTokens += num(m.judgeInputTokens);
      usage.outputTokens += num(m.judgeOutputTokens);
      usage.costUsd = usage.costUsd === null || typeof m.judgeCostUsd !== 'number' ? null : usage.costUsd + m.judgeCostUsd;
    }
    if (typeof m.hallucination === 'boolean') {
      const h = halluc.get(s.name) ?? { n: 0, k: 0 };
      h.n++;
      if (m.hallucination) h.k++;
      halluc.set(s.name, h);
      continue;
    }
    const g = graded.get(s.name) ?? { values: [] as number[], judges: new Map<string, { judgeModel: string; rubricHash: string; n: number }>() };
    g.values.push(s.value);
    const key = `${m.judgeModel}\u0000${String(m.rubricHash)}`;
    const j = g.judges.get(key) ?? { judgeModel: m.judgeModel, rubricHash: String(m.rubricHash), n: 0 };
    j.n++;
    g.judges.set(key, j);
    graded.set(s.name, g);
  }
  const confidence = opts.confidence ?? 0.95;
  return {
    hallucination: [...halluc].map(([name, h]) => ({ name, n: h.n, hallucinations: h.k, rate: h.k / h.n, interval: wilsonInterval(h.k, h.n, confidence) })),
    judgeScores: [...graded].map(([name, g]) => {
      const b = bootstrapMean(g.values, { resamples: opts.resamples ?? 2000, rng: createRng(`judge-score:${name}`), confidence });
      return { name, n: g.values.length, mean: b.estimate, interval: b.interval, judges: [...g.judges.values()] };
    }),
    usage,
  };
}
