import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';

const simModel = ['  demo:', '    provider: sim', '    model: simulated', '    sim: { accuracy: 0.9 }'].join('\n');

async function setup() {
  const { dir, suiteDir, suiteFile } = await writeArithmeticSuite(20);
  return { dir, suiteDir, suiteFile, db: join(dir, 'out', 'llmops.db') };
}

describe('bad input exits 2, names file, line and key, and writes nothing', () => {
  it('malformed YAML in the config', async () => {
    const { dir, suiteDir, db } = await setup();
    const cfg = join(dir, 'llmops.yaml');
    writeFileSync(cfg, 'version: 1\nmodels:\n  demo:\n    provider: sim\n    model: [unclosed\n');
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:`);
    expect(r.stderr).toMatch(/YAML syntax/);
    expect(existsSync(db)).toBe(false);
  });

  it('a config value of the wrong type, with its line and key path', async () => {
    const { dir, suiteDir, db } = await setup();
    const cfg = writeConfig(dir, ['  demo:', '    provider: sim', '    model: simulated', '    timeoutMs: soon'].join('\n'));
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:6:`);
    expect(r.stderr).toContain('models.demo.timeoutMs');
    expect(existsSync(db)).toBe(false);
  });

  it('an unknown model ref', async () => {
    const { dir, suiteDir, db } = await setup();
    const cfg = writeConfig(dir, simModel);
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'no-such-model']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-model');
    expect(existsSync(db)).toBe(false);
  });

  it('a missing API key variable, named', async () => {
    const { dir, suiteDir, db } = await setup();
    const cfg = writeConfig(dir, ['  gpt:', '    provider: openai', '    model: gpt-4o-mini', '    apiKeyEnv: LLMOPS_TEST_UNSET_KEY'].join('\n'));
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'gpt'], { env: { LLMOPS_TEST_UNSET_KEY: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('LLMOPS_TEST_UNSET_KEY');
    expect(existsSync(db)).toBe(false);
  });

  it('a malformed JSONL case line and a duplicate id', async () => {
    const { dir, suiteDir, db } = await setup();
    const cfg = writeConfig(dir, simModel);
    const cases = join(suiteDir, 'cases.jsonl');
    const lines = readFileSync(cases, 'utf8').split('\n');
    lines[2] = lines[1]!; // duplicate id on line 3
    lines[5] = '{"id": "broken", "vars": {';
    writeFileSync(cases, lines.join('\n'));
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cases}:3`);
    expect(r.stderr).toContain(`${cases}:6`);
    expect(r.stderr).toMatch(/duplicate/i);
    expect(existsSync(db)).toBe(false);
  });

  it('an unreadable dataset', async () => {
    const { dir, suiteDir, db } = await setup();
    const cfg = writeConfig(dir, simModel);
    writeFileSync(join(suiteDir, 'suite.yaml'), "name: arith\nprompt: '{{a}}'\ncases: missing.jsonl\nscorers:\n  - type: exact\n");
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(suiteDir, 'missing.jsonl'));
    expect(existsSync(db)).toBe(false);
  });

  it('a corrupt database is named and left untouched', async () => {
    const { dir, suiteDir } = await setup();
    const cfg = writeConfig(dir, simModel);
    const db = join(dir, 'corrupt.db');
    const junk = Buffer.from('SQLite format 3\u0000'.padEnd(4096, 'x'));
    writeFileSync(db, junk);
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(db);
    expect(readFileSync(db).equals(junk)).toBe(true);
  });

  it('an unwritable database location', async () => {
    const { dir, suiteDir } = await setup();
    const cfg = writeConfig(dir, simModel);
    writeFileSync(join(dir, 'afile'), '');
    const r = runCli(['--db', join(dir, 'afile', 'x.db'), '--config', cfg, 'eval', suiteDir, '-m', 'demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'afile'));
  });

  it('an unknown flag or output format is a usage error', async () => {
    const { dir, suiteDir, db } = await setup();
    mkdirSync(join(dir, 'o'), { recursive: true });
    expect(runCli(['eval', '--no-such-flag']).code).toBe(2);
    const lone = runCli(['eval', '--inconclusive', 'pass']);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toMatch(/--inconclusive applies to a gate: add --baseline/);
    const cfg = writeConfig(dir, simModel);
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--output', join(dir, 'o', 'x.pdf')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.pdf');
    expect(existsSync(db)).toBe(false);
  });

  it('an --output whose folder cannot be made fails before the run; a missing folder is created after it', async () => {
    const { dir, suiteDir, db } = await setup();
    const cfg = writeConfig(dir, simModel);
    writeFileSync(join(dir, 'afile'), '');
    const bad = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--output', join(dir, 'ok.json'), join(dir, 'afile', 'sub', 'x.md')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--output .*x\.md: .*afile is a file, so no folder can be created there/);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(join(dir, 'ok.json'))).toBe(false);
    const good = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--output', join(dir, 'new', 'deeper', 'x.md')]);
    expect(good.code).toBe(0);
    expect(readFileSync(join(dir, 'new', 'deeper', 'x.md'), 'utf8')).toMatch(/demo/);
  });

  it('a bad --baseline is refused before the candidate runs: nothing is stored', async () => {
    const { dir, suiteDir, db } = await setup();
    const cfg = writeConfig(dir, simModel);
    const cases: Array<[string, RegExp]> = [
      ['pinned', /No baseline is pinned for suite 'arith'/],
      ['nope', /--baseline \(nope\): unknown model 'nope'/],
      ['openai:gpt-4o-mini', /--baseline openai:gpt-4o-mini: .*OPENAI_API_KEY/],
    ];
    for (const [ref, message] of cases) {
      const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--baseline', ref], { env: { OPENAI_API_KEY: '' } });
      expect(r.code, ref).toBe(2);
      expect(r.stderr, ref).toMatch(message);
      expect(r.stderr, ref).not.toMatch(/results planned/);
      expect(existsSync(db), ref).toBe(false);
    }
  });

  it('a --baseline run of another suite, or a replay without its recording, is refused before the candidate runs', async () => {
    const { dir, suiteDir, db } = await setup();
    const cfg = writeConfig(dir, simModel);
    const other = await writeArithmeticSuite(5, { dir, name: 'other' });
    const first = runCli(['--db', db, '--config', cfg, '--json', 'eval', other.suiteDir, '-m', 'demo']);
    expect(first.code).toBe(0);
    const otherRun = (JSON.parse(first.stdout) as { runs: Array<{ runId: string }> }).runs[0]!.runId;
    const wrongSuite = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--baseline', otherRun]);
    expect(wrongSuite.code).toBe(2);
    expect(wrongSuite.stderr).toContain(`run ${otherRun} is of suite 'other', but this eval runs suite 'arith'`);
    const noRecording = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--baseline', `replay:${join(dir, 'nothere.jsonl')}`]);
    expect(noRecording.code).toBe(2);
    expect(noRecording.stderr).toMatch(/nothere\.jsonl: recording file not found/);
    const runs = JSON.parse(runCli(['--db', db, '--json', 'runs', 'list']).stdout) as Array<{ suite: string }>;
    expect(runs.map((r) => r.suite)).toEqual(['other']);
  });

  it('a typo or an impossible value in the suite\'s gates: stops eval before any call, with file, line and key', async () => {
    const { dir, suiteDir, suiteFile, db } = await setup();
    const cfg = writeConfig(dir, simModel);
    writeFileSync(suiteFile, `${readFileSync(suiteFile, 'utf8')}gates:\n  bogus: { min: 1 }\n  passRate: { min: 2 }\n  latencyP95: { max: -5 }\n`);
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/suite\.yaml:\d+:\d+ .*bogus/);
    expect(r.stderr).toMatch(/suite\.yaml:\d+:\d+ \(gates\.passRate\.min\): passRate\.min is a share from 0 to 1 \(0\.92 = 92%\), got 2/);
    expect(r.stderr).toMatch(/\(gates\.latencyP95\.max\): latencyP95\.max cannot be negative/);
    expect(existsSync(db)).toBe(false);
  });

  it('cases that every gating scorer\'s `when:` leaves out are refused, with each case\'s line: they would pass unchecked', async () => {
    const { dir, suiteDir, suiteFile, db } = await setup();
    const cfg = writeConfig(dir, simModel);
    // 20 cases: c000000, c000003, … are tier:fast; the other 13 (tier:mid) match no gating scorer.
    writeFileSync(suiteFile, readFileSync(suiteFile, 'utf8').replace('  - type: exact\n', '  - { type: exact, when: { tag: tier:fast } }\n  - { type: contains, gating: false }\n'));
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(suiteDir, 'cases.jsonl')}:2: case 'c000001' (tags: tier:mid) is judged by no gating scorer: the \`when:\` of exact leaves it out, so it would count as a pass without being checked`);
    expect(r.stderr).toContain(`${suiteFile}: and 3 more cases judged by no gating scorer`);
    expect(r.stderr).not.toContain("case 'c000003'");
    expect(existsSync(db)).toBe(false);
    // Selecting only the cases a gating scorer judges runs; so does a suite that only measures.
    expect(runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--filter', 'tier:fast']).code).not.toBe(2);
    writeFileSync(suiteFile, readFileSync(suiteFile, 'utf8').replace('  - { type: exact, when: { tag: tier:fast } }\n', ''));
    expect(runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo']).code).toBe(0);
  });

  it('--resume checks the cases of the run\'s own selection, not the whole suite', async () => {
    const { dir, suiteDir, suiteFile, db } = await setup();
    const cfg = writeConfig(dir, ['  flaky:', '    provider: sim', '    model: simulated', '    sim: { accuracy: 0.9, errorRate: 1 }'].join('\n'));
    writeFileSync(suiteFile, readFileSync(suiteFile, 'utf8').replace('  - type: exact\n', '  - { type: exact, when: { tag: tier:fast } }\n'));
    // Every call fails: the run stops past its error budget, incomplete, with only tier:fast cases selected.
    const first = runCli(['--db', db, '--config', cfg, '--json', 'eval', suiteDir, '-m', 'flaky', '--filter', 'tier:fast']);
    expect(first.code, first.stderr).toBe(3);
    const runId = (JSON.parse(first.stdout) as { runs: Array<{ runId: string }> }).runs[0]!.runId;
    const resumed = runCli(['--db', db, '--config', cfg, 'eval', '--resume', runId]);
    expect(resumed.stderr).not.toContain('judged by no gating scorer');
    expect(resumed.code, resumed.stderr).toBe(3);
  });
});
