import type { LlmopsConfig, ModelSpec } from '../config/schema.js';
import { InputError } from '../errors.js';
import type { Provider } from '../providers/types.js';
import { MemoryJudgeCache, type JudgeCache } from './cache.js';
import type { Judge } from './judge.js';
import { LlmJudge } from './llm.js';
import type { SpecLocation } from './scorer-support.js';
import { SimJudge } from './sim.js';

/** How the judge layer gets a provider for a model ref (the provider registry, injected so core stays testable). */
export type ProviderFactory = (ref: string) => Promise<{ provider: Provider; spec: ModelSpec }>;

export interface JudgeContext {
  config: LlmopsConfig;
  createProvider: ProviderFactory;
  /** Shared by every judge of the process unless given (e.g. a SQLite-backed cache). */
  cache?: JudgeCache | undefined;
}

let processCache: JudgeCache = new MemoryJudgeCache();
/**
 * The process-wide judge cache, read at every call (not when the judge is made): scorers are
 * created before the database opens, and the eval can switch to the SQLite cache afterwards.
 */
const sharedCache: JudgeCache = {
  get: (key) => processCache.get(key),
  set: (key, model, reply) => processCache.set(key, model, reply),
};

/**
 * Makes every judge created without its own cache use `cache` from now on — e.g.
 * `useJudgeCache(new SqliteJudgeCache(store.db))` once the run's database is open, so judge
 * verdicts persist across runs.
 */
export function useJudgeCache(cache: JudgeCache): void {
  processCache = cache;
}

/**
 * A judge model ref names the sim judge when it is `sim` / `sim:<label>`, or a `models:` entry
 * with `provider: sim`. The sim *provider* writes candidate answers; judging needs the sim
 * *judge*, which answers each task with its documented heuristic.
 */
export function isSimJudgeRef(ref: string, config: LlmopsConfig): boolean {
  if (ref === 'sim' || ref.startsWith('sim:')) return true;
  return config.models[ref]?.provider === 'sim';
}

/** The judge model ref a scorer uses: its own `judge:` or llmops.yaml `judge.model`. */
export function judgeRefFor(specJudge: string | undefined, config: LlmopsConfig, at: SpecLocation): string {
  const ref = specJudge ?? config.judge?.model;
  if (ref === undefined) {
    throw new InputError([{ file: at.file, path: `${at.path}.judge`, message: 'no judge model: set `judge:` on the scorer (e.g. `judge: sim:judge`) or `judge.model` in llmops.yaml' }]);
  }
  return ref;
}

/** Creates the judge for a model ref; judges of one ref share the cache and the per-upstream limiter. */
export async function createJudge(ref: string, ctx: JudgeContext): Promise<Judge> {
  if (isSimJudgeRef(ref, ctx.config)) return new SimJudge(ref === 'sim' ? 'sim:judge' : ref);
  const { provider, spec } = await ctx.createProvider(ref);
  return new LlmJudge({
    provider,
    price: spec.price,
    cache: ctx.cache ?? sharedCache,
    concurrency: spec.concurrency,
    maxRetries: Math.min(spec.maxRetries, 3),
    maxTokens: spec.maxTokens,
  });
}
