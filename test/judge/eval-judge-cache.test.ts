/**
 * An llm-judge suite through the eval runner with a real provider judge (openai SDK → local
 * wire server): judge spend is reported per score, and a second run on the same database is
 * judged from the SQLite judge cache without a single judge request.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { executeEval, prepareEval } from '../../src/eval/orchestrate.js';
import { silentReporter } from '../../src/eval/reporter.js';
import { MemoryJudgeCache } from '../../src/judge/cache.js';
import { useJudgeCache } from '../../src/judge/resolve.js';
import { summarizeRun, type RunSummary } from '../../src/eval/summary.js';
import { renderJudgeLines } from '../../src/report/summary-table.js';
import { repoRoot } from '../support/cli.js';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';

describe('llm-judge scores through llmops eval', () => {
  let judge: WireServer;
  let dir: string;
  beforeAll(async () => {
    // Scorers resolve the judge's key from the process environment, like the CLI does.
    process.env.JUDGE_TEST_KEY = 'test-key';
    judge = await startOpenAIServer({ handler: () => ({ text: '{"reason": "complete", "score": 5}', usage: { inputTokens: 500, outputTokens: 20 } }) });
    dir = mkdtempSync(join(tmpdir(), 'llmops-judged-'));
    const rag = join(repoRoot, 'suites/support-rag');
    // Same system and prompt as support-rag, so the recorded answers replay; one llm-judge scorer.
    writeFileSync(join(dir, 'suite.yaml'), [
      'name: rag-judged',
      "system: You are a bank's support assistant. Answer only from the help-centre context; if it does not say, say you do not know.",
      'prompt: |',
      '  Help-centre context:',
      '  {{context}}',
      '',
      '  Customer question: {{question}}',
      `cases: ${join(rag, 'cases.jsonl')}`,
      'scorers:',
      '  - type: llm-judge',
      '    name: helpfulness',
      `    rubric: ${join(rag, 'rubrics/helpfulness.md')}`,
      '    judge: judge',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'llmops.yaml'), [
      'version: 1',
      'models:',
      '  judge:',
      '    provider: openai',
      '    model: judge-model',
      `    baseURL: ${judge.url}`,
      '    apiKeyEnv: JUDGE_TEST_KEY',
      '    price: { input: 1, output: 2 }',
      '',
    ].join('\n'));
  });
  afterAll(async () => {
    delete process.env.JUDGE_TEST_KEY;
    useJudgeCache(new MemoryJudgeCache());
    await judge.close();
  });

  async function run(): Promise<{ requests: number; meta: Array<Record<string, unknown>>; summary: RunSummary }> {
    const before = judge.requestCount;
    const prep = await prepareEval({
      loaded: loadConfig(join(dir, 'llmops.yaml')),
      dbPath: join(dir, 'llmops.db'),
      suites: [dir],
      models: [`replay:${join(repoRoot, 'suites/support-rag/answers.recording.jsonl')}`],
      repeat: 1,
      selection: { limit: 10 },
      noCache: false,
      env: { JUDGE_TEST_KEY: 'test-key' },
    });
    const [outcome] = await executeEval(prep, silentReporter);
    const rows = prep.store.db.prepare("SELECT meta FROM scores WHERE run_id = ? AND name = 'helpfulness'").all(outcome!.runId) as Array<{ meta: string }>;
    const summary = summarizeRun(prep.store, outcome!.runId);
    prep.store.db.close();
    return { requests: judge.requestCount - before, meta: rows.map((r) => JSON.parse(r.meta) as Record<string, unknown>), summary };
  }

  it('first run: one judge call per case, costed in meta; second run: all from the SQLite cache', async () => {
    const first = await run();
    expect(first.requests).toBe(10);
    expect(first.meta).toHaveLength(10);
    // (500 × $1 + 20 × $2) / 1M = $0.00054 per verdict, kept apart from the candidate's cost.
    for (const m of first.meta) expect(m).toMatchObject({ raw: 5, judgeModel: 'judge', judgeCached: false, judgeCalls: 1, judgeInputTokens: 500, judgeCostUsd: 0.00054 });
    expect(first.summary.judge?.usage).toMatchObject({ calls: 10, inputTokens: 5000, outputTokens: 200, cached: 0 });

    // A fresh process would start with an empty memory cache: simulate that.
    useJudgeCache(new MemoryJudgeCache());
    const second = await run();
    expect(second.requests).toBe(0);
    // Cached verdicts spent nothing in this run: 0 calls and 0 tokens, counted apart as cached.
    for (const m of second.meta) expect(m).toMatchObject({ raw: 5, judgeCached: true, judgeCalls: 0, judgeInputTokens: 0, judgeOutputTokens: 0, judgeCostUsd: 0 });
    expect(second.summary.judge?.usage).toEqual({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, cached: 10 });
    expect(renderJudgeLines([second.summary]).join('\n')).toContain('judge calls 0 (+10 cached verdicts), tokens 0/0, cost $0');
  });
});
