import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config/load.js';
import { parseYamlText, validateYaml } from '../../src/config/yaml-source.js';
import { ExitCode, InputError } from '../../src/errors.js';

function configFile(name: string, lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'llmops-config-test-')), name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function inputErrorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
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
