import pLimit, { type LimitFunction } from 'p-limit';
import type { ModelSpec } from '../config/schema.js';
import { ProviderError, type ChatMessage, type CompletionResult, type Provider } from '../providers/types.js';
import { ResponseCache } from '../store/response-cache.js';
import type { RunStore } from '../store/run-store.js';
import type { ResultRecord, RunRecord, RunStatus } from '../store/types.js';
import type { Case } from '../suite/types.js';
import { costUsd } from './outcome.js';
import { RateLimiter } from './rate-limiter.js';
import type { EvalReporter } from './reporter.js';
import { defaultRetryPolicy, RetriesExhaustedError, withRetries, type RetryPolicy } from './retry.js';
import type { Scorer } from './scorers/types.js';
import { scoreCase, type CaseScoring } from './score-case.js';
import { Semaphore } from './semaphore.js';
import { attemptDeadline } from './deadline.js';
import { ResultWriter } from './result-writer.js';

/** One model evaluated on the suite of its group: a stored run. */
export interface ModelTarget {
  run: RunRecord;
  spec: ModelSpec;
  provider: Provider;
  scorers: Scorer[];
  /** Results that exist and need no re-run (`--resume`); keys `caseId\0repeat`. */
  skip: ReadonlySet<string>;
}

/** A suite's case stream, evaluated against several models at once. */
export interface SuiteGroup {
  cases: AsyncIterable<Case> | Iterable<Case>;
  render: (c: Case) => ChatMessage[];
  targets: ModelTarget[];
}

export interface RunnerOptions {
  store: RunStore;
  concurrency: number;
  repeat: number;
  /** Null disables the response cache (`--no-cache`). */
  cache: ResponseCache | null;
  /** Max fraction of a run's results that may be errors for it to count as completed. */
  errorBudget: number;
  reporter: EvalReporter;
  /** Cancels the calls in flight (their cases stay missing for --resume). */
  signal?: AbortSignal;
  /** Stops starting new cases; the calls in flight finish and are stored. */
  stop?: AbortSignal;
  retryPolicy?: Partial<RetryPolicy>;
  /** After this many consecutive errors with no success, a run stops: its upstream is down. */
  upstreamDownAfter?: number;
  random?: () => number;
}

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  reason?: string;
}

interface RunState {
  target: ModelTarget;
  limit: LimitFunction;
  rate: RateLimiter;
  policy: RetryPolicy;
  errors: number;
  done: number;
  consecutiveErrors: number;
  stopped: string | null;
}

const keyOf = (caseId: string, repeat: number) => `${caseId}\u0000${repeat}`;

/**
 * Runs every (case × repeat × model) that is not already stored, with at most `concurrency`
 * calls in flight overall and each model's own limits (`concurrency`, rpm, tpm) per connection
 * key. Results are committed in batches as they complete, so a killed process loses only what
 * was in flight, and `--resume` picks up exactly the missing ones.
 */
export async function runSuiteGroups(groups: SuiteGroup[], opts: RunnerOptions): Promise<RunOutcome[]> {
  const writer = new ResultWriter(opts.store);
  const global = new Semaphore(opts.concurrency);
  const perKey = new Map<string, { limit: LimitFunction; rate: RateLimiter }>();
  const states: RunState[] = [];
  const random = opts.random ?? Math.random;
  const downAfter = opts.upstreamDownAfter ?? 25;

  for (const g of groups) {
    for (const t of g.targets) {
      let shared = perKey.get(t.provider.connectionKey);
      if (!shared) {
        shared = { limit: pLimit(t.spec.concurrency ?? Number.POSITIVE_INFINITY), rate: new RateLimiter(t.spec.rpm, t.spec.tpm) };
        perKey.set(t.provider.connectionKey, shared);
      }
      states.push({
        target: t, ...shared, errors: 0, done: 0, consecutiveErrors: 0, stopped: null,
        policy: { ...defaultRetryPolicy, ...opts.retryPolicy, maxRetries: t.spec.maxRetries },
      });
    }
  }

  const evaluate = async (st: RunState, c: Case, messages: ChatMessage[], repeat: number): Promise<void> => {
    const t = st.target;
    const signal = opts.signal;
    const cacheKey = opts.cache && !t.provider.synthetic
      ? ResponseCache.key({ model: t.run.model, upstream: t.spec.model, baseURL: t.spec.baseURL ?? null, t: t.spec.temperature ?? null, max: t.spec.maxTokens ?? null, messages, repeat })
      : null;
    let output: CompletionResult | undefined;
    let attempts = 0;
    let cached = false;
    let error: { kind: string; message: string } | null = null;

    const hit = cacheKey ? opts.cache!.get(cacheKey) : undefined;
    if (hit) {
      output = Object.assign({}, hit, { finishReason: 'cached' as const });
      cached = true;
    } else {
      const estTokens = Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4) + (t.spec.maxTokens ?? 256);
      try {
        const r = await st.limit(() => withRetries(async () => {
          await st.rate.acquire(estTokens, signal);
          const deadline = attemptDeadline(t.spec.timeoutMs, signal);
          try {
            return await t.provider.complete({
              messages, signal: deadline.signal,
              ...(t.spec.temperature === undefined ? {} : { temperature: t.spec.temperature }),
              ...(t.spec.maxTokens === undefined ? {} : { maxTokens: t.spec.maxTokens }),
              simHints: { caseId: c.id, ...(c.expected === undefined ? {} : { expected: c.expected }), salt: `${t.run.id}:${repeat}` },
            });
          } catch (err) {
            // Our own deadline shows up as an abort: name it a timeout so it is retried.
            if (deadline.timedOut() && !(err instanceof ProviderError && err.kind === 'timeout')) {
              throw new ProviderError('timeout', `no answer within ${t.spec.timeoutMs} ms`, { cause: err });
            }
            throw err;
          } finally {
            deadline.done();
          }
        }, {
          policy: st.policy, random, ...(signal ? { signal } : {}),
          onRetry: (err, delay) => opts.reporter.retry?.(t.run.id, c.id, `${err.kind}: ${err.message}`, delay),
        }));
        output = r.value;
        attempts = r.attempts;
        if (cacheKey) opts.cache!.put(cacheKey, t.run.model, output);
      } catch (err) {
        if (signal?.aborted) return; // interrupted: leave the case missing so --resume runs it
        if (err instanceof RetriesExhaustedError) {
          attempts = err.attempts;
          error = { kind: err.last.kind, message: err.last.message };
        } else throw err;
      }
    }

    let scoring: CaseScoring | null = null;
    if (output) {
      scoring = await scoreCase(t.scorers, c, { case: c, output, prompt: messages[messages.length - 1]?.content ?? '', price: t.spec.price, modelRef: t.run.model });
      error = scoring.error;
    }
    const outcome: ResultRecord['outcome'] = scoring?.outcome ?? 'error';
    if (outcome === 'error') st.errors++;
    // Only calls that got no answer say the upstream is down; a scorer's error says nothing of it.
    if (output) st.consecutiveErrors = 0;
    else if (error) {
      st.consecutiveErrors++;
      if (st.consecutiveErrors >= downAfter && st.stopped === null) {
        st.stopped = `${st.consecutiveErrors} consecutive errors (last: ${error.kind}: ${error.message}); the upstream looks down`;
      }
    }
    st.done++;

    writer.add({
      runId: t.run.id, caseId: c.id, repeat, outcome,
      output: output?.text ?? null,
      errorKind: error?.kind ?? null, errorMessage: error?.message ?? null,
      latencyMs: output?.latencyMs ?? null, ttftMs: output?.ttftMs ?? null,
      inputTokens: output?.inputTokens ?? 0, outputTokens: output?.outputTokens ?? 0,
      costUsd: output && !cached ? costUsd(t.spec.price, output.inputTokens, output.outputTokens) : output ? 0 : null,
      attempts, cached, tags: c.tags, scores: scoring?.scores ?? [], scoreErrors: scoring?.scoreErrors ?? [],
    });
    opts.reporter.result({ runId: t.run.id, caseId: c.id, outcome, latencyMs: output?.latencyMs ?? null, cached, errorKind: error?.kind ?? null });
  };

  let fatal: unknown = null;
  const inflight = new Set<Promise<void>>();
  const stopping = () => opts.stop?.aborted === true || opts.signal?.aborted === true;
  try {
    for (const g of groups) {
      const groupStates = states.filter((s) => g.targets.includes(s.target));
      for await (const c of g.cases) {
        if (stopping() || fatal) break;
        let messages: ChatMessage[] | undefined;
        for (const st of groupStates) {
          for (let rep = 0; rep < opts.repeat; rep++) {
            if (st.stopped || st.target.skip.has(keyOf(c.id, rep))) continue;
            messages ??= g.render(c);
            await global.acquire();
            if (stopping() || fatal) { global.release(); break; }
            const p: Promise<void> = evaluate(st, c, messages, rep)
              .catch((err: unknown) => { fatal ??= err; })
              .finally(() => { global.release(); inflight.delete(p); });
            inflight.add(p);
          }
        }
        if (groupStates.every((s) => s.stopped)) break;
      }
    }
    await Promise.all(inflight);
  } finally {
    await Promise.allSettled(inflight);
    writer.close();
  }
  if (fatal) throw fatal;

  return states.map((st) => {
    const id = st.target.run.id;
    let status: RunStatus;
    let reason: string | undefined;
    if (stopping()) {
      status = 'interrupted';
      reason = 'interrupted';
    } else if (st.stopped) {
      status = 'incomplete';
      reason = st.stopped;
    } else {
      const counts = opts.store.countResults(id);
      const missing = st.target.run.planned - counts.total;
      if (missing > 0) {
        status = 'incomplete';
        reason = `${missing} planned results are missing`;
      } else if (counts.total > 0 && counts.error / counts.total > opts.errorBudget) {
        status = 'incomplete';
        reason = `${counts.error} of ${counts.total} results are errors, beyond the error budget of ${(opts.errorBudget * 100).toFixed(1)}%`;
      } else status = 'completed';
    }
    opts.store.setStatus(id, status);
    opts.reporter.runFinished?.(id, status);
    return { runId: id, status, ...(reason === undefined ? {} : { reason }) };
  });
}
