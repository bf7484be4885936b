import type { Score } from '../../src/eval/scorers/types.js';
import { extractCaseTable, type GateSide } from '../../src/gate/index.js';
import { createRng } from '../../src/stats/index.js';
import type { Outcome, ResultRecord, RunRecord } from '../../src/store/types.js';

export function run(id: string, suite = 'qa', model = 'm'): RunRecord {
  return { id, batchId: 'b', suite, suiteHash: 'h', model, provider: 'sim', synthetic: true, status: 'completed', planned: 0, params: {}, startedAt: '2026-01-01T00:00:00Z', finishedAt: null };
}

export interface CaseSpec {
  outcome: Outcome;
  latencyMs?: number | null;
  ttftMs?: number | null;
  costUsd?: number | null;
  scores?: Score[];
  repeat?: number;
  cached?: boolean;
}

export function result(runId: string, caseId: string, c: CaseSpec): ResultRecord {
  return {
    runId, caseId, repeat: c.repeat ?? 0, outcome: c.outcome, output: '', errorKind: null, errorMessage: null,
    latencyMs: c.latencyMs === undefined ? 100 : c.latencyMs, ttftMs: c.ttftMs === undefined ? 30 : c.ttftMs, inputTokens: 10, outputTokens: 5,
    costUsd: c.costUsd === undefined ? 0.001 : c.costUsd, attempts: 1, cached: c.cached ?? false, tags: [], scores: c.scores ?? [],
  };
}

export function side(id: string, results: ResultRecord[], suite = 'qa'): GateSide {
  return { run: run(id, suite), table: extractCaseTable(results) };
}

/**
 * A run like the sim provider makes: case i passes when its seeded uniform u_i < accuracy, so two
 * runs with the same seed and accuracies 0.97 / 0.94 differ on exactly the cases in between.
 */
export function simRun(id: string, n: number, accuracy: number, opts: { seed?: number; latencyScale?: number; suite?: string } = {}): GateSide {
  const u = createRng(opts.seed ?? 7);
  const lat = createRng(`lat-${id}`);
  const results: ResultRecord[] = [];
  for (let i = 0; i < n; i++) {
    const pass = u.next() < accuracy;
    // Log-normal latency around 200 ms, independent per run.
    const z = Math.sqrt(-2 * Math.log(1 - lat.next())) * Math.cos(2 * Math.PI * lat.next());
    results.push(result(id, `c${String(i).padStart(5, '0')}`, { outcome: pass ? 'pass' : 'fail', latencyMs: 200 * Math.exp(0.5 * z) * (opts.latencyScale ?? 1), ttftMs: 60 }));
  }
  return side(id, results, opts.suite);
}
