import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeArithmeticSuite } from '../support/temp-suite.js';

/** `llmops eval` with bad input: exit 2, every problem at its own file:line:col, nothing written. */
describe('eval: bad config and suite input is reported in full, where it is', () => {
  it('--config y9.yaml: a replay model without recording names y9.yaml and the model\'s line', async () => {
    const { dir, suiteDir } = await writeArithmeticSuite(5);
    const cfg = join(dir, 'y9.yaml');
    writeFileSync(cfg, ['version: 1', 'models:', '  m1:', '    provider: sim', '    model: x', '  m3:', '    provider: replay', '    model: gpt-4o-mini', 'colour: red', ''].join('\n'));
    const db = join(dir, 'out', 'llmops.db');
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'm3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:6:3 (models.m3.recording): a replay model needs \`recording: <file written by --record>\``);
    expect(r.stderr).toContain(`${cfg}:9:1 (colour): unknown key 'colour'`);
    expect(r.stderr).not.toContain('llmops.yaml');
    expect(existsSync(db)).toBe(false);
  });

  it('suite.yaml schema errors, scorer options, cases and the template in one error', async () => {
    const { dir } = await writeArithmeticSuite(1);
    const suiteDir = join(dir, 'broken');
    mkdirSync(suiteDir);
    writeFileSync(join(suiteDir, 'suite.yaml'), [
      'name: broken',
      "prompt: 'What is {{a}} + {{c}}?'",
      'cases: cases.jsonl',
      'scorrers: []',
      'scorers:',
      '  - type: numeric',
      '    tolerance: -1',
      '',
    ].join('\n'));
    writeFileSync(join(suiteDir, 'cases.jsonl'), `${JSON.stringify({ id: 'x', vars: { a: 1, b: 2 } })}\n${JSON.stringify({ id: 'x', vars: { a: 1 } })}\n`);
    const cfg = join(dir, 'llmops.yaml');
    writeFileSync(cfg, 'version: 1\n');
    const db = join(dir, 'out', 'llmops.db');
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'sim:demo']);
    expect(r.code).toBe(2);
    const f = join(suiteDir, 'suite.yaml');
    expect(r.stderr).toContain('Invalid input (4 problems)');
    expect(r.stderr).toContain(`${f}:4:1 (scorrers): unknown key 'scorrers'`);
    expect(r.stderr).toContain(`${f}:7:16 (scorers[0].tolerance): Too small`);
    expect(r.stderr).toContain(`${join(suiteDir, 'cases.jsonl')}:2 (id): duplicate id 'x' (first on line 1)`);
    expect(r.stderr).toContain(`${f}:2:9 (prompt): {{c}} is not a variable of any case`);
    expect(existsSync(db)).toBe(false);
  });
});
