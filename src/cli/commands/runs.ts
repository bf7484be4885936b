import type { Command } from 'commander';
import { globals } from '../context.js';
import { dim, info, printJson, printResult } from '../output.js';

export function registerRunsCommands(program: Command): void {
  const runs = program.command('runs').description('stored evaluation runs');

  runs
    .command('list')
    .description('list stored runs, newest first')
    .option('--suite <name>', 'only runs of this suite')
    .option('-m, --model <ref>', 'only runs of this model')
    .option('-n, --limit <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
    .action(async (opts: { suite?: string; model?: string; limit: number }, cmd: Command) => {
      const g = globals(cmd);
      const { openStore } = await import('../../store/index.js');
      const { renderRunList } = await import('../../report/run-list.js');
      const store = openStore(g.db, { mustExist: true });
      const list = store.listRuns({ ...(opts.suite ? { suite: opts.suite } : {}), ...(opts.model ? { model: opts.model } : {}), limit: opts.limit });
      const baselines = new Map(store.listBaselines().map((b) => [b.runId, b.suite]));
      if (g.json) printJson(list.map((r) => ({ ...r, pinnedBaseline: baselines.has(r.id), counts: store.countResults(r.id) })));
      else {
        printResult(renderRunList(list, (id) => store.countResults(id), baselines, { color: g.color }));
        const { runStateLine } = await import('../../report/run-state.js');
        for (const r of list) if (r.status === 'interrupted') info(dim(runStateLine(r)!));
      }
    });

  runs
    .command('show <run>')
    .description('summary of one run (id or unique prefix)')
    .option('--cases <which>', 'also list cases: failed | errors (and scorer errors) | all')
    .action(async (id: string, opts: { cases?: string }, cmd: Command) => {
      const g = globals(cmd);
      const { openStore } = await import('../../store/index.js');
      const { summarizeRun } = await import('../../eval/summary.js');
      const { renderSummaryTable, renderScoresTable } = await import('../../report/summary-table.js');
      const { renderCaseList, parseCaseFilter, matchesCaseFilter } = await import('../../report/case-list.js');
      const which = opts.cases === undefined ? undefined : parseCaseFilter(opts.cases);
      const store = openStore(g.db, { mustExist: true });
      const run = store.getRun(id);
      const summary = summarizeRun(store, run);
      if (g.json) {
        const cases = which ? [...store.iterateResults(run.id)].filter((r) => matchesCaseFilter(r, which)) : undefined;
        printJson({ run, summary, ...(cases ? { cases } : {}) });
        return;
      }
      printResult(`run ${run.id} · batch ${run.batchId} · started ${run.startedAt}${run.finishedAt ? ` · finished ${run.finishedAt}` : ''}`);
      const { runStateLine } = await import('../../report/run-state.js');
      const state = runStateLine(run);
      if (state) printResult(state);
      printResult(renderSummaryTable([summary], { color: g.color }));
      if (summary.scores.length) printResult(renderScoresTable([summary], { color: g.color }));
      if (which) printResult(renderCaseList(store.iterateResults(run.id), which));
    });
}
