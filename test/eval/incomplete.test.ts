import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';

describe('incomplete runs exit 3', () => {
  it('stops a model whose upstream is down instead of burning through the suite', async () => {
    const { dir, suiteDir } = await writeArithmeticSuite(200);
    const cfg = writeConfig(dir, ['  down:', '    provider: sim', '    model: simulated-down', '    maxRetries: 0', '    sim: { errorRate: 1 }'].join('\n'));
    const db = join(dir, 'down.db');
    const r = runCli(['--db', db, '--config', cfg, '--json', 'eval', suiteDir, '-m', 'down', '-j', '4']);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as { runs: Array<{ results: number; error: number; status: string }>; outcomes: Array<{ reason: string }> };
    expect(out.runs[0]!.status).toBe('incomplete');
    expect(out.runs[0]!.results).toBeLessThan(60); // stopped after ~25 consecutive errors, not 200
    expect(out.outcomes[0]!.reason).toMatch(/consecutive errors.*upstream looks down/);
  });

  it('marks a run beyond its error budget incomplete, and --resume re-runs only the errored cases', async () => {
    const { dir, suiteDir } = await writeArithmeticSuite(100);
    const cfg = writeConfig(dir, ['  flaky:', '    provider: sim', '    model: simulated-flaky', '    maxRetries: 0', '    sim: { errorRate: 0.2, seed: 5 }'].join('\n'));
    const db = join(dir, 'flaky.db');
    const r = runCli(['--db', db, '--config', cfg, '--json', 'eval', suiteDir, '-m', 'flaky', '--error-budget', '0.05']);
    expect(r.code).toBe(3);
    const first = JSON.parse(r.stdout) as { runs: Array<{ runId: string; error: number; results: number }> };
    expect(first.runs[0]!.results).toBe(100);
    expect(first.runs[0]!.error).toBeGreaterThan(5);
    const again = runCli(['--db', db, '--config', cfg, '--json', 'eval', '--resume', first.runs[0]!.runId, '--error-budget', '0.5']);
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout) as { runs: Array<{ error: number; results: number; status: string }> };
    expect(second.runs[0]!.results).toBe(100); // replaced, never duplicated
    expect(second.runs[0]!.error).toBeLessThan(first.runs[0]!.error);
    expect(second.runs[0]!.status).toBe('completed');
  });
});
