import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { executeEval, prepareEval } from '../../src/eval/orchestrate.js';
import { silentReporter } from '../../src/eval/reporter.js';
import type { ResultRecord } from '../../src/store/types.js';
import { startAnthropicServer } from '../support/wire/anthropic-server.js';
import { startOpenAIServer } from '../support/wire/openai-server.js';
import type { RecordedRequest, WireReply, WireServer } from '../support/wire/openai-server.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';

const N = 20;
const aOf = (i: number) => (i * 7919) % 1000;

/**
 * Misbehaviour per case (by its `a` operand), keyed so that the first attempt misbehaves and a
 * retry succeeds — except the permanent ones.
 */
type Plan = 'retry-after-429' | 'ms-429' | '500-once' | 'slow-once' | 'reset-once' | 'always-500' | 'auth';
const plans = new Map<number, Plan>([
  [aOf(1), 'retry-after-429'], [aOf(2), 'ms-429'], [aOf(3), '500-once'], [aOf(4), 'slow-once'],
  [aOf(5), 'reset-once'], [aOf(6), 'always-500'], [aOf(7), 'auth'],
]);

function makeHandler() {
  const seen = new Map<string, number[]>();
  const handler = (req: RecordedRequest): WireReply => {
    const messages = req.body.messages as Array<{ content: string | Array<{ text: string }> }>;
    const last = messages[messages.length - 1]!.content;
    const text = typeof last === 'string' ? last : last.map((p) => p.text).join('');
    const [, a, b] = /What is (\d+) \+ (\d+)/.exec(text)!;
    const key = `${a}+${b}`;
    const times = seen.get(key) ?? [];
    times.push(Date.now());
    seen.set(key, times);
    const first = times.length === 1;
    const answer = { text: String(Number(a) + Number(b)) };
    switch (plans.get(Number(a))) {
      case 'retry-after-429': return first ? { status: 429, headers: { 'retry-after': '1' } } : answer;
      case 'ms-429': return first ? { status: 429, headers: { 'retry-after-ms': '30' } } : answer;
      case '500-once': return first ? { status: 500 } : answer;
      case 'slow-once': return first ? { ...answer, headersDelayMs: 6_000 } : answer;
      case 'reset-once': return first ? { ...answer, chunks: ['1', '2', '3'], destroyAfterChunks: 1 } : answer;
      case 'always-500': return { status: 500, errorMessage: 'upstream exploded' };
      case 'auth': return { status: 401, errorMessage: 'bad key' };
      default: return answer;
    }
  };
  return { handler, seen };
}

describe('the runner against real OpenAI and Anthropic wire servers', () => {
  let openai: WireServer;
  let anthropic: WireServer;
  const oa = makeHandler();
  const an = makeHandler();
  beforeAll(async () => {
    openai = await startOpenAIServer({ handler: oa.handler });
    anthropic = await startAnthropicServer({ handler: an.handler });
  });
  afterAll(async () => {
    await openai.close();
    await anthropic.close();
  });

  it('retries what is retryable, honours Retry-After, records the rest as errors with reasons, and goes on', async () => {
    const { dir, suiteDir } = await writeArithmeticSuite(N);
    writeConfig(dir, [
      '  wire-openai:', '    provider: openai', '    model: gpt-test', `    baseURL: ${openai.url}`, '    apiKeyEnv: LLMOPS_WIRE_KEY', '    timeoutMs: 2500', '    maxRetries: 2',
      '  wire-anthropic:', '    provider: anthropic', '    model: claude-test', `    baseURL: ${anthropic.origin}`, '    apiKeyEnv: LLMOPS_WIRE_KEY', '    timeoutMs: 2500', '    maxRetries: 2',
    ].join('\n'));
    const prep = await prepareEval({
      loaded: loadConfig(join(dir, 'llmops.yaml')), dbPath: join(dir, 'wire.db'), suites: [suiteDir],
      models: ['wire-openai', 'wire-anthropic'], concurrency: 8, repeat: 1, selection: {}, noCache: true, errorBudget: 0.2,
      env: { LLMOPS_WIRE_KEY: 'test-key' },
    });
    const outcomes = await executeEval(prep, silentReporter);
    expect(outcomes.map((o) => o.status)).toEqual(['completed', 'completed']); // 2 errors of 20 is within a 20% budget

    for (const [{ run }, handler] of [[prep.runs[0]!, oa], [prep.runs[1]!, an]] as const) {
      const byA = new Map<number, ResultRecord>();
      for (const r of prep.store.iterateResults(run.id)) byA.set(aOf(Number(r.caseId.slice(1))), r);
      expect(byA.size).toBe(N);
      const get = (i: number) => byA.get(aOf(i))!;
      for (const i of [1, 2, 3, 4, 5]) {
        expect(get(i), `case ${i} of ${run.model}`).toMatchObject({ outcome: 'pass', attempts: 2, errorKind: null });
      }
      expect(get(6)).toMatchObject({ outcome: 'error', errorKind: 'transient', attempts: 3 });
      expect(get(6).errorMessage).toMatch(/upstream exploded|500/);
      expect(get(7)).toMatchObject({ outcome: 'error', errorKind: 'auth', attempts: 1 });
      for (let i = 8; i < N; i++) expect(get(i).outcome).toBe('pass');
      // Retry-After: 1 (seconds) was honoured: the retry came no sooner than ~1 s later.
      const t = [...handler.seen.entries()].find(([k]) => k.startsWith(`${aOf(1)}+`))![1];
      expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(950);
      // The streamed answers carry a measured time to first token.
      expect(get(8).ttftMs).not.toBeNull();
    }
    prep.store.db.close();
  });
});
