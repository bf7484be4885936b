import { join } from 'node:path';
import { DEFAULT_POLICY } from './policy.js';
import { decideRoute } from './decide.js';
import { fromQuery } from './features.js';
import type { CompiledModel } from './model.js';
import { loadBanking77Queries, loadGsm8kQuestions, sharedDatasetsDir } from './real-traffic.js';
import type { Tier } from './types.js';

export interface RealTrafficMix {
  name: string;
  count: number;
  /** Share routed to each tier with the default policy (threshold 0.7 → mid). */
  mix: Record<Tier, number>;
}

/** How the default policy routes Banking77 test queries and GSM8K test questions. */
export function realTrafficMix(model: CompiledModel, repoRoot: string): RealTrafficMix[] {
  const dir = sharedDatasetsDir(repoRoot);
  const sets = [
    { name: 'banking77 test (customer support)', queries: loadBanking77Queries(join(dir, 'banking77', 'test.csv')) },
    { name: 'gsm8k test (multi-step math)', queries: loadGsm8kQuestions(join(dir, 'gsm8k', 'test.jsonl')) },
  ];
  return sets.map(({ name, queries }) => {
    const counts: Record<Tier, number> = { fast: 0, mid: 0, powerful: 0 };
    for (const q of queries) counts[decideRoute(fromQuery(q), model, DEFAULT_POLICY).tier]++;
    const n = queries.length;
    return { name, count: n, mix: { fast: counts.fast / n, mid: counts.mid / n, powerful: counts.powerful / n } };
  });
}
