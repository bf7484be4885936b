import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlainReporter, passText } from '../../src/eval/plain-reporter.js';
import type { RunSummary } from '../../src/eval/summary.js';
import { renderMarkdownSummary } from '../../src/report/markdown.js';
import { modelLabel, syntheticSource } from '../../src/report/model-label.js';
import { renderRunList } from '../../src/report/run-list.js';
import { renderScoresTable, renderSummaryTable } from '../../src/report/summary-table.js';
import type { RunRecord } from '../../src/store/types.js';
import { runCli, runCliAsync, type CliResult } from '../support/cli.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';

const run = (model: string, provider: string, synthetic: boolean): RunRecord => ({
  id: `r-${provider}`, batchId: 'b', suite: 'arith', suiteHash: 'h', model, provider, synthetic, status: 'completed', planned: 2, params: {}, startedAt: '2025-01-01T00:00:00Z', finishedAt: null,
});
const summary = (r: RunRecord): RunSummary => ({
  runId: r.id, suite: r.suite, model: r.model, provider: r.provider, synthetic: r.synthetic, status: r.status, planned: 2, results: 2,
  pass: 1, fail: 1, error: 0, passRate: 0.5, passRateCI: [0.1, 0.9], errorRate: 0,
  scores: [{ name: 'exact', n: 2, mean: 0.5, passRate: 0.5, errors: 0 }, { name: 'custom', n: 1, mean: 1, passRate: 1, errors: 1 }],
  latencyMs: null, ttftMs: null, inputTokens: 0, outputTokens: 0, costUsd: null, costPerCaseUsd: null, cachedResults: 0, judge: null,
});
const sim = run('demo-fast', 'sim', true);
const replay = run('gpt-4o-mini-replay', 'replay', true);
const live = run('gpt-4o-mini', 'openai', false);

describe('model labels: one rule everywhere', () => {
  it('names where the answers came from: simulated, replayed, or nothing for a live model', () => {
    expect([sim, replay, live].map(syntheticSource)).toEqual(['simulated', 'replayed', null]);
    expect([sim, replay, live].map(modelLabel)).toEqual(['demo-fast (simulated)', 'gpt-4o-mini-replay (replayed)', 'gpt-4o-mini']);
  });

  it('the summary, per-scorer, run-list and Markdown tables and the progress line all use it', () => {
    const summaries = [sim, replay, live].map(summary);
    const tables = [
      renderSummaryTable(summaries, { color: false }),
      renderScoresTable(summaries, { color: false }),
      renderRunList([sim, replay, live], () => ({ total: 2, pass: 1, fail: 1, error: 0 }), new Map(), { color: false }),
    ];
    for (const t of tables) {
      expect(t).toContain('demo-fast (simulated)');
      expect(t).toContain('gpt-4o-mini-replay (replayed)');
      expect(t).not.toContain('gpt-4o-mini (');
    }
    // Every per-scorer row is labelled, not only the summary's.
    expect(tables[1]!.match(/\(simulated\)/g)).toHaveLength(2);
    expect(tables[1]!.match(/\(replayed\)/g)).toHaveLength(2);
    const md = renderMarkdownSummary(summaries);
    expect(md.match(/\| demo-fast \*\(simulated\)\* \|/g)).toHaveLength(3); // summary row + 2 scorer rows
    expect(md.match(/\| gpt-4o-mini-replay \*\(replayed\)\* \|/g)).toHaveLength(3);
    expect(md.match(/\| gpt-4o-mini \|/g)).toHaveLength(3);

    const lines: string[] = [];
    const rep = new PlainReporter((l) => lines.push(l), 60_000);
    rep.start([sim, replay, live].map((r) => ({ run: r, planned: 2, alreadyDone: 0 })));
    rep.stop();
    expect(lines.slice(-3).map((l) => l.split(':')[0])).toEqual(['demo-fast (simulated) · arith', 'gpt-4o-mini-replay (replayed) · arith', 'gpt-4o-mini · arith']);
  });

  it('the progress pass rate says when nothing is judged yet instead of a bare dash', () => {
    expect(passText(0, 0)).toBe('pass — (0 judged)');
    expect(passText(1, 3)).toBe('pass 25.0%');
    expect(passText(0, 2)).toBe('pass 0.0%');
  });
});

async function runAsync(args: string[]): Promise<CliResult> {
  const child = runCliAsync(args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('a replay of a recording of a real (OpenAI-protocol) model', () => {
  let server: WireServer;
  beforeAll(async () => {
    server = await startOpenAIServer({
      handler: (req) => {
        const messages = req.body.messages as Array<{ content: string }>;
        const [, a, b] = /What is (\d+) \+ (\d+)/.exec(messages[messages.length - 1]!.content)!;
        return { text: String(Number(a) + Number(b)) };
      },
    });
  });
  afterAll(async () => { await server.close(); });

  it('is labelled (replayed) in progress, tables and reports, and stored as synthetic with provider replay', async () => {
    const { dir, suiteDir } = await writeArithmeticSuite(6);
    const db = join(dir, 'l.db');
    const recording = join(dir, 'rec.jsonl');
    const cfg = writeConfig(dir, ['  gpt-real:', '    provider: openai', '    model: gpt-4o-mini', `    baseURL: ${server.url}`].join('\n'));
    const recorded = await runAsync(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'gpt-real', '--no-cache', '--record', recording]);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stderr).toMatch(/^gpt-real · arith: 6\/6 /m); // a live model has no label
    expect(server.requestCount).toBe(6);

    writeConfig(dir, ['  gpt-replay:', '    provider: replay', '    model: gpt-4o-mini', `    recording: ${recording}`].join('\n'));
    const out = (f: string) => join(dir, f);
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'gpt-replay', '--output', out('r.jsonl'), out('r.md'), out('r.xml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(server.requestCount).toBe(6); // nothing live was called
    expect(r.stderr).toMatch(/^gpt-replay \(replayed\) · arith: 6\/6 .* · pass 100\.0% · errors 0$/m);
    expect(r.stdout).toContain('gpt-replay (replayed)');
    expect(r.stderr).not.toContain('These are simulated models');
    expect(readFileSync(out('r.md'), 'utf8')).toContain('| gpt-replay *(replayed)* |');
    expect(readFileSync(out('r.xml'), 'utf8')).toContain('name="arith · gpt-replay (replayed)"');
    const lines = readFileSync(out('r.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { provider: string; synthetic: boolean });
    expect(lines).toHaveLength(6);
    expect(lines.every((l) => l.provider === 'replay' && l.synthetic)).toBe(true);
    for (const text of [r.stdout, r.stderr, readFileSync(out('r.md'), 'utf8'), readFileSync(out('r.xml'), 'utf8')]) expect(text).not.toContain('simulated');

    const runs = JSON.parse(runCli(['--db', db, '--json', 'runs', 'list']).stdout) as Array<{ id: string; model: string; provider: string; synthetic: boolean }>;
    expect(runs.map((x) => [x.model, x.provider, x.synthetic])).toEqual([['gpt-replay', 'replay', true], ['gpt-real', 'openai', false]]);
    const show = runCli(['--db', db, 'runs', 'show', runs[0]!.id]);
    expect(show.stdout.match(/gpt-replay \(replayed\)/g)).toHaveLength(2); // summary and per-scorer tables
    expect(runCli(['--db', db, 'runs', 'list']).stdout).toContain('gpt-replay (replayed)');
  });
});
