import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';

const simModel = ['  demo:', '    provider: sim', '    model: simulated', '    sim: { accuracy: 0.9 }'].join('\n');

async function setup() {
  const { dir, suiteDir } = await writeArithmeticSuite(20);
  return { dir, suiteDir, db: join(dir, 'out', 'llmops.db') };
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
    const cfg = writeConfig(dir, simModel);
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--output', join(dir, 'o', 'x.pdf')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.pdf');
    expect(existsSync(db)).toBe(false);
  });
});
