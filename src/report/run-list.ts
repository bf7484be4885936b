import Table from 'cli-table3';
import type { RunRecord } from '../store/types.js';
import { int, pct } from './format.js';
import { modelLabel } from './model-label.js';

export function renderRunList(
  runs: RunRecord[],
  counts: (id: string) => { total: number; pass: number; fail: number; error: number },
  baselines: Map<string, string>,
  opts: { color?: boolean } = {},
): string {
  if (runs.length === 0) return 'No runs stored yet. Run `llmops eval` first.';
  const table = new Table({ head: ['run', 'started', 'suite', 'model', 'results', 'pass rate', 'errors', 'status'], style: { head: opts.color === false ? [] : ['cyan'], border: opts.color === false ? [] : ['grey'] } });
  for (const r of runs) {
    const c = counts(r.id);
    const judged = c.pass + c.fail;
    table.push([
      baselines.has(r.id) ? `${r.id} (baseline)` : r.id,
      r.startedAt.replace('T', ' ').slice(0, 19),
      r.suite,
      modelLabel(r),
      c.total === r.planned ? int(c.total) : `${int(c.total)}/${int(r.planned)}`,
      pct(judged ? c.pass / judged : null),
      int(c.error),
      r.status,
    ]);
  }
  return table.toString();
}
