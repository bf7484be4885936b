/**
 * The judge scorers through the real provider path: the official `openai` and
 * `@anthropic-ai/sdk` clients (inside our providers) talk to the shared wire servers on
 * 127.0.0.1, scripted to serve valid verdicts, malformed JSON, refusals, errors and hangs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { ScorerError, type Score, type ScoreInput } from '../../src/eval/scorers/types.js';
import { MemoryJudgeCache } from '../../src/judge/cache.js';
import { SqliteJudgeCache } from '../../src/judge/sqlite-cache.js';
import { openDatabase } from '../../src/store/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registryProviders } from '../../src/judge/registry-providers.js';
import { createJudgeScorer } from '../../src/judge/scorer-factories.js';
import type { Case } from '../../src/suite/types.js';
import { startAnthropicServer } from '../support/wire/anthropic-server.js';
import { startOpenAIServer, type WireReply, type WireServer } from '../support/wire/openai-server.js';
import { SUITE_DIR } from './support.js';

const kase: Case = {
  id: 'rag-x',
  vars: { question: 'How long does a new card take to arrive?' },
  expected: 'A replacement card arrives within 5 working days.',
  context: 'A replacement card arrives within 5 working days. Express delivery costs 9 pounds.',
  tags: [],
};
const input = (text: string): ScoreInput => ({ case: kase, output: { text, inputTokens: 10, outputTokens: 10, latencyMs: 1, ttftMs: null }, prompt: `Context: ${kase.context}\nQ: ${String(kase.vars.question)}`, modelRef: 'cand' });

/** Text of every message the judge received in request i (system + messages, both wire formats). */
function sentText(sent: (i: number) => { body: Record<string, unknown> }, i: number): string {
  const b = sent(i).body as { system?: unknown; messages?: Array<{ content: unknown }> };
  return JSON.stringify([b.system ?? null, b.messages ?? []]);
}

// How each API says "I refuse": OpenAI sets message.refusal with null content; Anthropic stops with stop_reason "refusal".
const OPENAI_REFUSAL: WireReply = {
  rawBody: JSON.stringify({
    id: 'chatcmpl-r', object: 'chat.completion', created: 1, model: 'judge-model',
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: "I can't help with that." }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 40, completion_tokens: 8, total_tokens: 48 },
  }),
};
const ANTHROPIC_REFUSAL: WireReply = { text: '', finishReason: 'refusal' };

describe.each([
  { provider: 'openai', path: '/v1/chat/completions', start: startOpenAIServer, refusal: OPENAI_REFUSAL },
  { provider: 'anthropic', path: '/v1/messages', start: startAnthropicServer, refusal: ANTHROPIC_REFUSAL },
])('judge scorers through the $provider SDK', ({ provider, path, start, refusal }) => {
  let wire: WireServer;
  let fallback: WireReply = { status: 500 };
  beforeAll(async () => {
    wire = await start({ handler: () => fallback });
  });
  afterAll(async () => {
    await wire.close();
  });

  function ctx() {
    const config = ConfigSchema.parse({
      models: {
        judge: { provider, model: 'judge-model', baseURL: wire.url, apiKeyEnv: 'JUDGE_TEST_KEY', price: { input: 1, output: 2 }, timeoutMs: 400, maxRetries: 1 },
      },
    });
    return {
      config,
      createProvider: registryProviders({ config }, { JUDGE_TEST_KEY: 'test-key' }),
      cache: new MemoryJudgeCache(),
      suiteDir: SUITE_DIR,
      at: { file: 'suite.yaml', path: 'scorers[0]' },
    };
  }
  let seen = 0;
  /** Scripts the next replies; `sent(i)` / `count()` then look only at this test's requests. */
  const reset = (...script: WireReply[]) => {
    seen = wire.requestCount;
    wire.enqueue(...script);
  };
  const count = () => wire.requestCount - seen;
  const sent = (i: number) => wire.requests[seen + i]!;

  it('grades with the rubric: value normalised, raw score, reason, judge cost apart from the candidate', async () => {
    reset({ text: '{"reason": "Correct and complete.", "score": 4}', usage: { inputTokens: 100, outputTokens: 20 } });
    const scorer = await createJudgeScorer({ type: 'llm-judge', rubric: 'rubrics/helpfulness.md', judge: 'judge' }, ctx());
    const s = await scorer.score(input('Your card arrives within 5 working days.'));
    expect(s).toMatchObject({ value: 0.75, pass: true, reason: 'Correct and complete.' });
    // cost = (100 input × $1 + 20 output × $2) per 1M tokens = 0.00014
    expect(s.meta).toMatchObject({ raw: 4, scale: [1, 5], judgeModel: 'judge', judgeSynthetic: false, judgeCalls: 1, judgeInputTokens: 100, judgeOutputTokens: 20, judgeCached: false });
    expect(s.meta?.judgeCostUsd as number).toBeCloseTo(0.00014, 12);
    expect(count()).toBe(1);
    expect(sent(0).path).toBe(path);
    expect(sent(0).body.temperature).toBe(0);
    if (provider === 'openai') expect(sent(0).body.response_format).toEqual({ type: 'json_object' });
    expect(sentText(sent, 0)).toContain('Your card arrives within 5 working days.');
  });

  it('a malformed reply is retried once with the problem explained, then accepted', async () => {
    reset({ text: 'The answer looks fine, I would give it a 5.', usage: { inputTokens: 100, outputTokens: 20 } }, { text: '```json\n{"reason": "Fine.", "score": 5}\n```', usage: { inputTokens: 100, outputTokens: 20 } });
    const scorer = await createJudgeScorer({ type: 'llm-judge', rubric: 'rubrics/helpfulness.md', judge: 'judge' }, ctx());
    const s = await scorer.score(input('Your card arrives within 5 working days.'));
    expect(s).toMatchObject({ value: 1, meta: { raw: 5, judgeCalls: 2, judgeInputTokens: 200, judgeOutputTokens: 40 } });
    expect(count()).toBe(2);
    expect(sentText(sent, 1)).toContain('could not be used: the reply contains no JSON object');
  });

  it('malformed twice is a judge error (ScorerError), never a pass', async () => {
    reset({ text: '{"reason": "ok", "score": 11}' }, { text: '{"reason": "ok", "score": "five"' });
    const scorer = await createJudgeScorer({ type: 'llm-judge', rubric: 'rubrics/helpfulness.md', judge: 'judge' }, ctx());
    const err = await Promise.resolve().then(() => scorer.score(input('x'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScorerError);
    expect((err as Error).message).toMatch(/no valid grade reply after one retry/);
    expect(count()).toBe(2);
  });

  it('a refusal (twice) is a judge error', async () => {
    reset(refusal, refusal);
    const scorer = await createJudgeScorer({ type: 'faithfulness', judge: 'judge' }, ctx());
    await expect(scorer.score(input('Your card arrives within 5 working days.'))).rejects.toBeInstanceOf(ScorerError);
    expect(count()).toBe(2);
  });

  it('a judge that hangs past its timeout is retried, then a judge error', async () => {
    reset({ headersDelayMs: 3000 }, { headersDelayMs: 3000 });
    const scorer = await createJudgeScorer({ type: 'reference-match', judge: 'judge' }, ctx());
    const err = await Promise.resolve().then(() => scorer.score(input('x'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScorerError);
    expect((err as Error).message).toMatch(/timeout|timed out|abort/i);
    expect(count()).toBe(2);
  });

  it('a 500 then a valid reply: transient provider errors are retried', async () => {
    reset({ status: 500 }, { text: '{"reason": "same meaning", "match": true}' });
    const scorer = await createJudgeScorer({ type: 'reference-match', judge: 'judge' }, ctx());
    expect(await scorer.score(input('Your card arrives within 5 working days.'))).toMatchObject({ value: 1, pass: true });
  });

  it('faithfulness: unsupported claims give the hallucination flag and the share of supported claims', async () => {
    reset({ text: JSON.stringify({ claims: [{ claim: 'A card arrives within 5 working days.', supported: true }, { claim: 'Delivery is free.', supported: false }] }) });
    const scorer = await createJudgeScorer({ type: 'faithfulness', judge: 'judge' }, ctx());
    const s = await scorer.score(input('Your card arrives within 5 working days, and delivery is free.'));
    expect(s).toMatchObject({ value: 0.5, pass: false, meta: { hallucination: true, claims: 2, unsupportedClaims: ['Delivery is free.'] } });
    expect(sentText(sent, 0)).toContain('Express delivery costs 9 pounds.');
  });

  it('pairwise: a judge that always prefers the first answer shown ends in a tie, flagged as position bias', async () => {
    reset();
    fallback = { text: '{"reason": "A is better.", "winner": "A"}' };
    const scorer = await createJudgeScorer({ type: 'pairwise', judge: 'judge', baselineVar: 'old' }, ctx());
    const s: Score = await scorer.score({ ...input('Your card arrives within 5 working days.'), case: { ...kase, vars: { ...kase.vars, old: 'It takes a while.' } } });
    expect(s).toMatchObject({ value: 0.5, pass: true, meta: { outcome: 'tie', inconsistent: true, positionBias: 'first', judgeCalls: 2 } });
    expect(count()).toBe(2);
    fallback = { status: 500 };
  });

  it('pairwise with a baseline model: the baseline is asked the same prompt, a consistent judge picks the candidate in both orders', async () => {
    reset({ text: 'It takes a while.' }); // the baseline model's answer (first request)
    // The judge prefers whichever position holds the candidate's answer, whatever the order.
    const judgeReply = (req: { body: Record<string, unknown> }): WireReply => {
      const shown = JSON.stringify(req.body.messages ?? []);
      const candidateFirst = shown.indexOf('Answer A:\\n<<<\\nYour card') >= 0;
      return { text: JSON.stringify({ reason: 'more precise', winner: candidateFirst ? 'A' : 'B' }) };
    };
    wire.setHandler(judgeReply);
    try {
      const scorer = await createJudgeScorer({ type: 'pairwise', judge: 'judge', baseline: 'judge' }, ctx());
      const s = await scorer.score(input('Your card arrives within 5 working days.'));
      expect(s).toMatchObject({ value: 1, pass: true, meta: { outcome: 'candidate', inconsistent: false, positionBias: null, baseline: 'judge', baselineAnswer: 'It takes a while.' } });
      expect(count()).toBe(3);
      expect(sentText(sent, 0)).toContain('Q: How long does a new card take to arrive?'); // the baseline got the candidate's prompt
    } finally {
      wire.setHandler(() => fallback);
      fallback = { status: 500 };
    }
  });

  it('identical judge calls are served from the cache: no request, no cost', async () => {
    reset({ text: '{"reason": "same meaning", "match": true}' });
    const c = ctx();
    const scorer = await createJudgeScorer({ type: 'reference-match', judge: 'judge' }, c);
    const again = await createJudgeScorer({ type: 'reference-match', judge: 'judge' }, c);
    await scorer.score(input('Cached answer.'));
    const s = await again.score(input('Cached answer.'));
    expect(count()).toBe(1);
    expect(s.meta).toMatchObject({ judgeCached: true, judgeCalls: 0, judgeInputTokens: 0, judgeOutputTokens: 0, judgeCostUsd: 0 });
  });

  it('the SQLite judge cache survives a restart: a second process (new DB connection) sends no request', async () => {
    reset({ text: '{"reason": "same meaning", "match": true}' });
    const file = join(mkdtempSync(join(tmpdir(), 'llmops-judge-cache-')), 'j.db');
    for (let run = 0; run < 2; run++) {
      const db = openDatabase(file);
      const scorer = await createJudgeScorer({ type: 'reference-match', judge: 'judge' }, { ...ctx(), cache: new SqliteJudgeCache(db) });
      const s = await scorer.score(input('Persisted answer.'));
      expect(s.meta).toMatchObject({ judgeCached: run === 1 });
      db.close();
    }
    expect(count()).toBe(1);
  });
});
