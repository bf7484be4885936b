import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { InputError, UsageError, type InputIssue } from '../errors.js';
import { createProvider, resolveModelRef } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import type { ModelSpec } from '../config/schema.js';
import { newRunId, openStore, ResponseCache, type RunStore } from '../store/index.js';
import type { RunRecord } from '../store/types.js';
import { iterateCases, loadSuite, renderMessages, selectCases, type CaseSelection } from '../suite/index.js';
import type { Case, Suite } from '../suite/types.js';
import { loadGatePolicy } from '../gate/service.js';
import { createScorers } from './scorers/registry.js';
import { useJudgeCache } from '../judge/resolve.js';
import { SqliteJudgeCache } from '../judge/sqlite-cache.js';
import type { Scorer } from './scorers/types.js';
import type { EvalReporter } from './reporter.js';
import { runSuiteGroups, type ModelTarget, type RunOutcome, type SuiteGroup } from './runner.js';
import { keepLeases } from './lease-keeper.js';

export interface EvalRequest {
  loaded: LoadedConfig;
  dbPath: string;
  /** Suite paths from the command line; empty → the config's `suites:`. */
  suites: string[];
  /** Model refs from the command line; empty → the config's `defaultModels:`. */
  models: string[];
  concurrency?: number;
  repeat: number;
  selection: CaseSelection;
  noCache: boolean;
  resume?: string;
  record?: string;
  errorBudget?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * More checks of the command's own input once the suites are loaded (e.g. `--baseline`),
   * still before the database is opened and any run is created.
   */
  preflight?: (suites: readonly Suite[]) => void | Promise<void>;
}

export interface PreparedEval {
  store: RunStore;
  groups: SuiteGroup[];
  runs: Array<{ run: RunRecord; alreadyDone: number }>;
  options: { concurrency: number; repeat: number; errorBudget: number; noCache: boolean };
}

interface ResolvedModel {
  ref: string;
  spec: ModelSpec;
  provider: Provider;
}

async function collectIssues<I, T>(items: readonly I[], load: (x: I) => Promise<T>): Promise<T[]> {
  const issues: InputIssue[] = [];
  const out: T[] = [];
  for (const x of items) {
    try {
      out.push(await load(x));
    } catch (err) {
      if (err instanceof InputError) issues.push(...err.issues);
      else throw err;
    }
  }
  if (issues.length) throw new InputError(issues);
  return out;
}

/** At most this many unjudged cases are listed; the error counts the rest. */
const MAX_LISTED = 10;

/**
 * Counts the selected cases, and refuses the suite when a case is judged by none of its gating
 * scorers because every one's `when:` leaves it out (a mistyped or missing tag, a new kind of
 * case): nothing would decide it, so it would count as a pass without being checked. A suite
 * without gating scorers only measures, and is not refused. Without `scorers`, only counts.
 */
async function countSelected(suite: Suite, selection: CaseSelection, scorers: readonly Scorer[] | undefined): Promise<number> {
  const gating = scorers?.filter((s) => s.gating) ?? [];
  const issues: InputIssue[] = [];
  let unjudged = 0;
  let n = 0;
  for await (const c of selectCases(iterateCases(suite), selection)) {
    n++;
    if (gating.length === 0 || gating.some((s) => s.appliesTo?.(c) ?? true)) continue;
    if (++unjudged > MAX_LISTED) continue;
    issues.push({
      file: c.source?.file ?? suite.file, line: c.source?.line,
      message: `case '${c.id}' (tags: ${c.tags.length ? c.tags.join(', ') : 'none'}) is judged by no gating scorer: the \`when:\` of ${gating.map((s) => s.name).join(', ')} leave${gating.length === 1 ? 's' : ''} it out, so it would count as a pass without being checked`,
    });
  }
  if (unjudged > MAX_LISTED) issues.push({ file: suite.file, message: `and ${unjudged - MAX_LISTED} more cases judged by no gating scorer` });
  if (issues.length) throw new InputError(issues, 'Tag each case for a gating scorer, add a gating scorer that applies to it, or leave it out of the suite.');
  return n;
}

/**
 * Validates everything the run needs — config, suites, cases, scorers, model refs, API keys —
 * before the database is opened, so bad input writes nothing and spends nothing.
 */
export async function prepareEval(req: EvalRequest): Promise<PreparedEval> {
  const { config, dir } = req.loaded;
  const env = req.env ?? process.env;
  const suitePaths = req.suites.length ? req.suites.map((s) => resolve(s)) : config.suites.map((s) => resolve(dir, s));
  if (suitePaths.length === 0) {
    throw new UsageError('No suite to run.', 'Name one (`llmops eval suites/<name>`) or list defaults under `suites:` in llmops.yaml.');
  }
  let refs = req.models.length ? req.models : config.defaultModels;
  if (refs.length === 0) {
    throw new UsageError('No model to evaluate.', 'Pass -m <model-ref> (a name under `models:` in llmops.yaml, or provider:model such as openai:gpt-4o-mini), or set `defaultModels:`.');
  }
  refs = [...new Set(refs)];

  // Scorers are created (their options validated) while each suite loads, so their problems
  // are listed with the suite's own in one error.
  const scorersByFile = new Map<string, Scorer[]>();
  const suites = await collectIssues(suitePaths, (p) => loadSuite(p, {
    checkScorers: async (specs, s) => { scorersByFile.set(s.file, await createScorers(specs, { suite: s, config: req.loaded })); },
  }));
  const names = new Map<string, string>();
  for (const s of suites) {
    const other = names.get(s.name);
    if (other) throw InputError.at({ file: s.file, path: 'name' }, `suite name '${s.name}' is also used by ${other}; runs are stored by suite name`);
    names.set(s.name, s.file);
  }
  const scorersBySuite = new Map<Suite, Scorer[]>(suites.map((s) => [s, scorersByFile.get(s.file)!]));
  // The gate policy (llmops.yaml and suite.yaml `gates:`) is part of the suite's definition: a
  // typo there must stop the run now, not after it when a gate reads it.
  await collectIssues(suites, async (s) => loadGatePolicy(req.loaded, s.file));
  const models = await collectIssues(refs, async (ref): Promise<ResolvedModel> => {
    const resolved = resolveModelRef(ref, config);
    const provider = await createProvider(resolved, env, req.record ? { record: req.record } : {});
    return { ref, spec: resolved.spec, provider };
  });

  // One streaming pass per suite: the count rejects an empty selection and unjudged cases, and sizes the runs.
  const selected = new Map<Suite, number>();
  for (const s of suites) {
    // A resumed run keeps its own selection: its cases are checked below, once the run is read.
    const n = await countSelected(s, req.selection, req.resume ? undefined : scorersBySuite.get(s)!);
    selected.set(s, n);
    if (n === 0) {
      throw InputError.at({ file: s.file }, `no case of suite '${s.name}' matches the selection (${JSON.stringify(req.selection)})`);
    }
  }

  await req.preflight?.(suites);

  const store = openStore(req.dbPath);
  // Judge verdicts persist in the same database, so re-running a judged suite costs no judge tokens.
  if (!req.noCache) useJudgeCache(new SqliteJudgeCache(store.db));
  const repeat = req.repeat;
  const concurrency = req.concurrency ?? config.run.concurrency;
  const errorBudget = req.errorBudget ?? config.run.errorBudget;
  const runs: PreparedEval['runs'] = [];
  const groups: SuiteGroup[] = [];

  if (req.resume) {
    const run = store.getRun(req.resume);
    const suite = suites.find((s) => s.name === run.suite);
    const model = models.find((m) => m.ref === run.model);
    if (!suite) throw new UsageError(`Run ${run.id} is of suite '${run.suite}', which is not among the suites given.`, `Run \`llmops eval --resume ${run.id}\` with no suite argument, or name that suite.`);
    if (suite.hash !== run.suiteHash) {
      throw new UsageError(`Suite '${suite.name}' changed since run ${run.id} started (content hash differs); resuming would mix two suites.`, 'Start a new run instead.');
    }
    if (!model) throw new UsageError(`Run ${run.id} evaluated '${run.model}'.`, `Resume with -m ${run.model} (or no -m).`);
    if (run.status === 'completed') throw new UsageError(`Run ${run.id} is already complete.`, 'Nothing to resume.');
    const p = run.params as { selection?: CaseSelection; repeat?: number };
    await countSelected(suite, p.selection ?? {}, scorersBySuite.get(suite)!);
    store.acquireRun(run.id); // refused while another live process executes it
    const skip = store.finishedKeys(run.id);
    runs.push({ run: store.getRun(run.id), alreadyDone: skip.size });
    groups.push(group(suite, p.selection ?? {}, [{ run, spec: model.spec, provider: model.provider, scorers: scorersBySuite.get(suite)!, skip }]));
    return { store, groups, runs, options: { concurrency, repeat: p.repeat ?? 1, errorBudget, noCache: req.noCache } };
  }

  const batchId = `b-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  for (const suite of suites) {
    const planned = selected.get(suite)! * repeat;
    const targets: ModelTarget[] = models.map((m) => {
      const run = store.createRun({
        id: newRunId(), batchId, suite: suite.name, suiteHash: suite.hash, model: m.ref, provider: m.spec.provider,
        synthetic: m.provider.synthetic, planned,
        params: { selection: req.selection, repeat, suiteFile: suite.file, scorers: suite.scorers, upstreamModel: m.spec.model, temperature: m.spec.temperature ?? null },
      });
      runs.push({ run, alreadyDone: 0 });
      return { run, spec: m.spec, provider: m.provider, scorers: scorersBySuite.get(suite)!, skip: new Set<string>() };
    });
    groups.push(group(suite, req.selection, targets));
  }
  return { store, groups, runs, options: { concurrency, repeat, errorBudget, noCache: req.noCache } };
}

function group(suite: Suite, selection: CaseSelection, targets: ModelTarget[]): SuiteGroup {
  const render = renderMessages(suite);
  return { cases: selectCases(iterateCases(suite), selection) as AsyncIterable<Case>, render, targets };
}

/** `signal` cancels the calls in flight; `stop` only stops starting new cases (a graceful interrupt). */
export async function executeEval(prep: PreparedEval, reporter: EvalReporter, signal?: AbortSignal, stop?: AbortSignal): Promise<RunOutcome[]> {
  reporter.start(prep.runs.map((r) => ({ run: r.run, planned: r.run.planned, alreadyDone: r.alreadyDone })));
  const leases = keepLeases(prep.store, prep.runs.map((r) => r.run.id), signal);
  try {
    return await runSuiteGroups(prep.groups, {
      store: prep.store,
      concurrency: prep.options.concurrency,
      repeat: prep.options.repeat,
      cache: prep.options.noCache ? null : new ResponseCache(prep.store.db),
      errorBudget: prep.options.errorBudget,
      reporter,
      signal: leases.signal,
      ...(stop ? { stop } : {}),
    });
  } catch (err) {
    for (const r of prep.runs) prep.store.setStatus(r.run.id, 'incomplete');
    throw err;
  } finally {
    leases.stop();
    await reporter.stop();
  }
}
