import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';

// End to end through the built CLI (`npm run build` first) with simulated models: a case is
// correct iff u(seed, caseId) < accuracy, so with one seed `cand` (0.95) fails exactly the cases
// `base` (0.98) passes with u in [0.95, 0.98): a true 3% regression, no improvements.
const MODELS = [
  '  base: { provider: sim, model: b, sim: { accuracy: 0.98, seed: 7, latencyMs: { p50: 0, p95: 0 } } }',
  '  cand: { provider: sim, model: c, sim: { accuracy: 0.95, seed: 7, latencyMs: { p50: 0, p95: 0 } } }',
  '  same: { provider: sim, model: s, sim: { accuracy: 0.98, seed: 7, latencyMs: { p50: 0, p95: 0 } } }',
].join('\n');

let dir = '';
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['--db', join(dir, 't.db'), ...args], { cwd: dir, env, timeoutMs: 120_000 });
const runIdOf = (stdout: string) => (JSON.parse(stdout) as { runs: Array<{ runId: string }> }).runs[0]!.runId;

describe('gate end to end (sim provider, built CLI)', () => {
  beforeAll(async () => {
    ({ dir } = await writeArithmeticSuite(1200));
    writeConfig(dir, MODELS);
    await writeArithmeticSuite(20, { dir, name: 'small' });
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('a candidate truly worse on 3% of 1,200 cases fails (exit 1), naming passRate and the regressed cases', () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const base = cli(['eval', 'arith', '-m', 'base', '--json']);
    expect(base.code).toBe(0);
    const baseRun = runIdOf(base.stdout);
    const r = cli(['eval', 'arith', '-m', 'cand', '--baseline', baseRun], { GITHUB_STEP_SUMMARY: summary });
    expect(r.stderr + r.stdout).toMatch(/passRate/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/gate FAIL/);
    expect(r.stdout).toMatch(/regressed cases .*: \d+/);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/llmops gate: ❌ fail/);
    expect(md).toMatch(/regressed cases?\*\* \(passed in the baseline, fail now\)/);
  });

  it('eval --baseline --json: the one JSON document on stdout holds the gate verdicts', () => {
    const base = runIdOf(cli(['eval', 'arith', '-m', 'base', '--json']).stdout);
    const r = cli(['eval', 'arith', '-m', 'cand', '--baseline', base, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { runs: Array<{ runId: string }>; gate: Array<{ verdict: string; candidateRunId: string; baselineRunId: string; decisionId: number; metrics: Array<{ metric: string; verdict: string }> }> };
    expect(out.gate).toHaveLength(1);
    expect(out.gate[0]).toMatchObject({ verdict: 'fail', candidateRunId: out.runs[0]!.runId, baselineRunId: base });
    expect(out.gate[0]!.decisionId).toBeGreaterThan(0);
    expect(out.gate[0]!.metrics.find((m) => m.metric === 'passRate')?.verdict).toBe('fail');
  });

  it('tables carry colour codes only on a terminal or with FORCE_COLOR', () => {
    const ESC = String.fromCharCode(27);
    expect(cli(['eval', 'small', '-m', 'base']).code).toBe(0);
    // runCli sets NO_COLOR; clear it to see the default of a pipe.
    expect(cli(['runs', 'list'], { NO_COLOR: '' }).stdout).not.toContain(ESC);
    expect(cli(['runs', 'list'], { NO_COLOR: '', FORCE_COLOR: '1' }).stdout).toContain(ESC);
    expect(cli(['--no-color', 'runs', 'list'], { NO_COLOR: '', FORCE_COLOR: '1' }).stdout).not.toContain(ESC);
  });

  it('gate on stored runs: --json has the full verdict, JUnit has one testcase per metric, the decision is stored', () => {
    const base = cli(['eval', 'arith', '-m', 'base', '--json']);
    const cand = cli(['eval', 'arith', '-m', 'cand', '--json']);
    const b = runIdOf(base.stdout), c = runIdOf(cand.stdout);
    const junit = join(dir, 'gate.xml');
    const r = cli(['gate', c, '--baseline', b, '--junit', junit, '--json']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout) as { verdict: string; metrics: Array<{ metric: string; verdict: string; reason: string }>; regressions: Array<{ caseId: string }>; decisionId: number };
    expect(v.verdict).toBe('fail');
    const pr = v.metrics.find((m) => m.metric === 'passRate')!;
    expect(pr.verdict).toBe('fail');
    expect(v.regressions.length).toBeGreaterThan(20);
    expect(v.decisionId).toBeGreaterThan(0);
    const xml = readFileSync(junit, 'utf8');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(v.metrics.length);
    expect(xml).toMatch(/name="passRate">\s*<failure/);
  });

  it('equal to the baseline passes (exit 0); pinned baselines work', () => {
    const base = cli(['eval', 'arith', '-m', 'base', '--json']);
    const b = runIdOf(base.stdout);
    expect(cli(['baseline', 'set', b]).code).toBe(0);
    expect(cli(['baseline', 'show']).stdout).toContain(b);
    const same = cli(['eval', 'arith', '-m', 'same', '--json']);
    const r = cli(['gate', runIdOf(same.stdout), '--baseline', 'pinned']);
    expect(r.stdout).toMatch(/gate PASS/);
    expect(r.code).toBe(0);
  });

  it('with 20 cases the same 3% drop is inconclusive (exit 4), mapped by --inconclusive', () => {
    const base = cli(['eval', 'small', '-m', 'base', '--json']);
    const cand = cli(['eval', 'small', '-m', 'cand', '--json']);
    const b = runIdOf(base.stdout), c = runIdOf(cand.stdout);
    const r = cli(['gate', c, '--baseline', b]);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/INCONCLUSIVE/);
    expect(cli(['gate', c, '--baseline', b, '--inconclusive', 'fail']).code).toBe(1);
    expect(cli(['gate', c, '--baseline', b, '--inconclusive', 'pass']).code).toBe(0);
  });

  it('bad input exits 2: different suites, a missing baseline, a bad policy with file:line and key', () => {
    const a = runIdOf(cli(['eval', 'small', '-m', 'base', '--json']).stdout);
    const b = runIdOf(cli(['eval', 'arith', '-m', 'base', '--json']).stdout);
    const diff = cli(['gate', a, '--baseline', b]);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toMatch(/suite 'small'.*suite 'arith'/);
    const missing = cli(['gate', a, '--baseline', 'r-doesnotexist']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No run with id/);
    writeConfig(dir, MODELS, 'gates:\n  passRate: { max: 0.9 }\n');
    const bad = cli(['gate', a, '--baseline', b]);
    writeConfig(dir, MODELS);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/llmops\.yaml:\d+:\d+ \(gates\.passRate\.max\)/);
  });

  it('A/A calibration runs the model twice, stores the noise, and the A/A pair passes its own gate', () => {
    const r = cli(['gate', '--aa', 'arith', '-m', 'same', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { calibrationId: number; aaVerdictWithCalibratedMargins: string; noise: Array<{ metric: string; noise: number }> };
    expect(out.aaVerdictWithCalibratedMargins).toBe('pass');
    expect(out.noise.find((n) => n.metric === 'passRate')).toBeDefined();
    expect(existsSync(join(dir, 't.db'))).toBe(true);
  });
});

describe('A/A on too few cases', () => {
  it('is inconclusive (exit 4): 20 cases cannot measure noise', async () => {
    const { dir: d } = await writeArithmeticSuite(20, { name: 'tiny' });
    writeConfig(d, MODELS);
    try {
      const r = runCli(['--db', join(d, 't.db'), 'gate', '--aa', 'tiny', '-m', 'same'], { cwd: d, timeoutMs: 60_000 });
      expect(r.code).toBe(4);
      expect(r.stdout).toMatch(/A\/A gate with the calibrated margins: INCONCLUSIVE/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
