import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config/load.js';
import { parseGatePolicy } from '../../src/gate/policy.js';
import { parseYamlText, validateYaml } from '../../src/config/yaml-source.js';
import { ExitCode, type InputError } from '../../src/errors.js';
import { inputErrorOf } from '../support/input-error.js';

function configFile(name: string, lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'llmops-config-test-')), name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const where = (err: InputError) => err.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);

describe('config errors point at the offending key', () => {
  it('an unknown key under a model: its own line, column and full key path (not the parent mapping)', () => {
    const file = configFile('y2.yaml', ['version: 1', 'models:', '  m1:', '    provider: sim', '    model: x', '    colour: red']);
    const err = inputErrorOf(() => loadConfig(file));
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain(`${file}:6:5 (models.m1.colour): unknown key 'colour'`);
    expect(err.message).not.toContain('(models.m1)');
  });

  it('unknown keys at the root: each at its own line, named by its key (not 1:1 (root))', () => {
    const file = configFile('y2.yaml', ['version: 1', 'defaultModels: []', 'sutes: [a]', 'colour: red']);
    const err = inputErrorOf(() => loadConfig(file));
    expect(where(err)).toEqual(["3:1 sutes: unknown key 'sutes'", "4:1 colour: unknown key 'colour'"]);
    expect(err.message).not.toContain('(root)');
  });

  it('a replay model without `recording:` names the --config file and the line of the model, with the other problems', () => {
    const file = configFile('y9.yaml', [
      'version: 1',
      'models:',
      '  m1:',
      '    provider: sim',
      '    model: x',
      '  m3:',
      '    provider: replay',
      '    model: gpt-4o-mini',
      '    timeoutMs: soon',
    ]);
    const err = inputErrorOf(() => loadConfig(file));
    expect(err.message).toContain(`${file}:6:3 (models.m3.recording): a replay model needs \`recording: <file written by --record>\``);
    expect(err.message).toContain(`${file}:9:16 (models.m3.timeoutMs)`);
    expect(err.message).not.toContain('llmops.yaml');
    // With a recording, the same model loads (relative to the config file).
    const ok = configFile('y9.yaml', ['models:', '  m3: { provider: replay, model: gpt-4o-mini, recording: rec.jsonl }']);
    expect(loadConfig(ok).config.models.m3!.recording).toBe(join(ok, '..', 'rec.jsonl'));
  });
});

describe('YamlSource.locate: where an issue is reported', () => {
  const Schema = z.strictObject({
    top: z.strictObject({ inner: z.strictObject({ need: z.string(), n: z.number().optional() }) }),
    list: z.array(z.strictObject({ a: z.number() })).optional(),
    flow: z.strictObject({ need: z.string() }).optional(),
  });
  const text = [
    'top:', //            1
    '  inner:', //        2
    '    n: 1', //        3
    '    typo: 2', //     4
    'list:', //          5
    '  - a: 1', //        6
    '  - { a: 2, b: 3 }', // 7
    'flow: { x: 1 }', //  8
  ].join('\n');

  it('unknown keys at the key, missing keys at the block mapping that lacks them, flow mappings at their brace', () => {
    const err = inputErrorOf(() => validateYaml(parseYamlText('f.yaml', text), Schema));
    expect(where(err)).toEqual([
      // `need` is missing from top.inner, a block mapping: the `inner:` key's line, not line 3 (n: 1).
      '2:3 top.inner.need: Invalid input: expected string, received undefined',
      "4:5 top.inner.typo: unknown key 'typo'",
      "7:13 list[1].b: unknown key 'b'",
      '8:7 flow.need: Invalid input: expected string, received undefined',
      "8:9 flow.x: unknown key 'x'",
    ]);
  });

  it('an existing key points at its value; with { key: true } at the key', () => {
    const src = parseYamlText('f.yaml', text);
    expect(src.locate(['top', 'inner', 'n'])).toEqual({ line: 3, column: 8 });
    expect(src.locate(['top', 'inner', 'n'], { key: true })).toEqual({ line: 3, column: 5 });
    expect(src.locate(['list', 1, 'a'])).toEqual({ line: 7, column: 10 });
    expect(src.locate(['top'])).toEqual({ line: 1, column: 1 }); // a block mapping: its key
  });
});

describe('unions: a value no option accepts is reported with what the options expect, or at the key inside that is wrong', () => {
  const Schema = z.strictObject({
    tags: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    seed: z.union([z.number().int(), z.string()]).optional(),
    cases: z.union([z.string(), z.record(z.string(), z.unknown())], { error: '`cases` is a path or a mapping' }).optional(),
  });

  it('an option that takes the type and fails inside reports its own key; otherwise the expected types are listed', () => {
    const text = ['tags: [ok, 3]', 'seed: [1]', 'cases: 2'].join('\n');
    const err = inputErrorOf(() => validateYaml(parseYamlText('f.yaml', text), Schema));
    expect(where(err)).toEqual([
      '1:12 tags[1]: Invalid input: expected string, received number',
      '2:7 seed: Invalid input: expected number or string, received array',
      // A union with its own message keeps it.
      '3:8 cases: `cases` is a path or a mapping',
    ]);
    expect(inputErrorOf(() => validateYaml(parseYamlText('f.yaml', 'seed: 1.5\ntags: 3'), Schema)).message)
      .toBe('Invalid input (2 problems):\n  f.yaml:2:7 (tags): Invalid input: expected string or array, received number\n  f.yaml:1:7 (seed): Invalid input: expected int or string, received number');
  });

  it('llmops.yaml: a sim seed of the wrong type names the types it can be', () => {
    const file = configFile('llmops.yaml', ['version: 1', 'models:', '  m1:', '    provider: sim', '    model: x', '    sim: { seed: [1] }']);
    const err = inputErrorOf(() => loadConfig(file));
    expect(err.message).toContain(`${file}:6:18 (models.m1.sim.seed): Invalid input: expected number or string, received array`);
  });

  it('gates: issues forwarded from a metric keep their key (unknown keys too) and say what a margin can be', () => {
    const src = parseYamlText('llmops.yaml', ['gates:', '  passRate: { mni: 0.9, margin: nois }', '  seed: [1]'].join('\n'));
    const err = inputErrorOf(() => parseGatePolicy((src.data as { gates: unknown }).gates, src, ['gates']));
    expect(where(err)).toEqual([
      '3:9 gates.seed: Invalid input: expected number or string, received array',
      '2:33 gates.passRate.margin: Invalid input: expected number or "noise", received string',
      "2:15 gates.passRate.mni: unknown key 'mni'",
    ]);
  });
});
