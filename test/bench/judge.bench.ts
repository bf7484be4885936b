/**
 * Judge benchmarks (issue 4). Every figure is measured in this run:
 *  1. LLM judge through the openai provider against a local server answering in 100 ms, 400
 *     faithfulness scores started at once, judge `concurrency: 8` → wall / ideal
 *     (ideal = 400 × 100 ms / 8 = 5 s; target ≤ 1.5, a sanity bound: it includes the SDK and
 *     HTTP cost that (2) subtracts) — shows the per-upstream limit holds;
 *  2. the same 400 calls made directly on the provider → judge wall / direct wall (target ≤ 1.10):
 *     prompt building, JSON parsing and zod validation add little;
 *  3. the same 400 scores again → served from the judge cache: cached wall / uncached wall
 *     (target ≤ 0.10), no request reaches the server;
 *  4. sim judge: faithfulness of the 200 support-rag labelled answers × 25 → scores/s, best of 3
 *     rounds after a warm-up round (target ≥ 5,000/s, so the sim judge never slows an eval).
 * Timing ratios are noisy on a shared machine; run benchmarks alone.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigSchema } from '../../src/config/schema.js';
import { FaithfulnessScorer } from '../../src/eval/scorers/faithfulness.js';
import type { ScoreInput } from '../../src/eval/scorers/types.js';
import { MemoryJudgeCache } from '../../src/judge/cache.js';
import { registryProviders } from '../../src/judge/registry-providers.js';
import { createJudgeScorer } from '../../src/judge/scorer-factories.js';
import { SimJudge } from '../../src/judge/sim.js';
import { claimsTask } from '../../src/judge/tasks/claims.js';
import type { Case } from '../../src/suite/types.js';
import { startOpenAIServer } from '../support/wire/openai-server.js';

let missed = 0;
const record = (name: string, value: string, target: string, ok: boolean) => {
  if (!ok) missed++;
  process.stdout.write(`${ok ? 'ok  ' : 'MISS'} ${name}: ${value} (target ${target})\n`);
};

const suiteDir = fileURLToPath(new URL('../../suites/support-rag/', import.meta.url));
const cases = new Map(
  readFileSync(`${suiteDir}cases.jsonl`, 'utf8').trim().split('\n').map((l) => {
    const c = JSON.parse(l) as Case;
    return [c.id, { ...c, tags: c.tags ?? [] }] as const;
  }),
);
const labels = readFileSync(`${suiteDir}labels/faithfulness.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; output: string });
const inputs: ScoreInput[] = labels.map((l) => {
  const c = cases.get(l.id)!;
  return { case: c, output: { text: l.output, inputTokens: 0, outputTokens: 0, latencyMs: 0, ttftMs: null }, prompt: `Help-centre context:\n${c.context}\n\nCustomer question: ${String(c.vars.question)}\n`, modelRef: 'bench' };
});

const LATENCY_MS = 100;
const CONCURRENCY = 8;
const N = 400;
const reply = JSON.stringify({ claims: [{ claim: 'A replacement card arrives within 5 working days.', supported: true }] });
const server = await startOpenAIServer({ handler: () => ({ text: reply, headersDelayMs: LATENCY_MS, usage: { inputTokens: 300, outputTokens: 30 } }) });
try {
  const config = ConfigSchema.parse({
    models: { judge: { provider: 'openai', model: 'bench-judge', baseURL: server.url, apiKeyEnv: 'BENCH_KEY', concurrency: CONCURRENCY, price: { input: 0.15, output: 0.6 } } },
  });
  const createProvider = registryProviders({ config }, { BENCH_KEY: 'k' });
  const scorer = await createJudgeScorer({ type: 'faithfulness', judge: 'judge' }, { config, createProvider, cache: new MemoryJudgeCache(), suiteDir, at: { file: 'bench', path: 'scorers[0]' } });
  // 400 distinct judge calls: the 200 labelled answers, each in two variants.
  const work = Array.from({ length: N }, (_, i) => {
    const base = inputs[i % inputs.length]!;
    return i < inputs.length ? base : { ...base, output: { ...base.output, text: `${base.output.text} (v2)` } };
  });

  // Warm up the connection pool so both measurements start alike.
  const { provider } = await createProvider('judge');
  await Promise.all(Array.from({ length: CONCURRENCY }, () => provider.complete({ messages: [{ role: 'user', content: 'warm-up' }] })));
  // …and the judge path (zod, parsing), with answers outside the measured set.
  await Promise.all(inputs.slice(0, CONCURRENCY).map((w) => scorer.score({ ...w, output: { ...w.output, text: `${w.output.text} (warm-up)` } })));

  let t0 = performance.now();
  await Promise.all(work.map((w) => scorer.score(w)));
  const judgeMs = performance.now() - t0;
  const ideal = (N * LATENCY_MS) / CONCURRENCY;
  record('LLM judge, 400 scores, 100 ms upstream, concurrency 8: wall / ideal', `${(judgeMs / ideal).toFixed(3)} (${judgeMs.toFixed(0)} ms vs ${ideal} ms)`, '≤ 1.5', judgeMs / ideal <= 1.5);

  // The same requests straight to the provider, under the same concurrency limit.
  const direct = work.map((w) => claimsTask({ question: w.prompt, context: w.case.context!, answer: w.output.text }).messages);
  const { default: pLimit } = await import('p-limit');
  const limit = pLimit(CONCURRENCY);
  t0 = performance.now();
  await Promise.all(direct.map((messages) => limit(() => provider.complete({ messages, temperature: 0, json: true }))));
  const directMs = performance.now() - t0;
  record('judge wall / direct provider calls', `${(judgeMs / directMs).toFixed(3)} (${directMs.toFixed(0)} ms direct)`, '≤ 1.10', judgeMs / directMs <= 1.1);

  const before = server.requestCount;
  t0 = performance.now();
  await Promise.all(work.map((w) => scorer.score(w)));
  const cachedMs = performance.now() - t0;
  const sent = server.requestCount - before;
  record('cached pass / uncached pass', `${(cachedMs / judgeMs).toFixed(4)} (${cachedMs.toFixed(1)} ms, ${sent} requests sent)`, '≤ 0.10 and 0 requests', cachedMs / judgeMs <= 0.1 && sent === 0);
} finally {
  await server.close();
}

const sim = new FaithfulnessScorer('faithfulness', true, new SimJudge(), 1);
const REPS = 25;
let perSec = 0;
for (let round = 0; round < 4; round++) {
  const t0 = performance.now();
  for (let r = 0; r < REPS; r++) for (const i of inputs) await sim.score(i);
  if (round > 0) perSec = Math.max(perSec, (REPS * inputs.length) / ((performance.now() - t0) / 1000));
}
record(`sim judge faithfulness, ${REPS * inputs.length} scores`, `${perSec.toFixed(0)} scores/s`, '≥ 5,000/s', perSec >= 5000);

process.exit(missed === 0 ? 0 : 1);
