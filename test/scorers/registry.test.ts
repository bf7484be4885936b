import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scorerOptions } from '../../src/eval/scorers/options.js';
import { createScorers, registerScorer, registeredScorerTypes } from '../../src/eval/scorers/registry.js';
import { ScorerError } from '../../src/eval/scorers/types.js';
import { loadSuite } from '../../src/suite/index.js';
import { inputErrorOf, tempSuite } from '../suite/helpers.js';
import { input } from './support.js';

function suiteWith(scorersYaml: string, files: Record<string, string> = {}): string {
  return tempSuite({
    'suite.yaml': ['name: s', "prompt: '{{q}}'", 'cases: cases.jsonl', 'scorers:', scorersYaml, ''].join('\n'),
    'cases.jsonl': JSON.stringify({ id: 'a', vars: { q: 'x' }, expected: '1', tags: ['kind:math'] }),
    ...files,
  });
}

describe('createScorers', () => {
  it('builds every built-in type from suite specs, by name', async () => {
    const dir = suiteWith(['  - type: exact', '  - { type: contains, name: has }', "  - { type: regex, pattern: '\\d' }", '  - type: numeric', '  - type: json', '  - type: latency', '  - type: cost'].join('\n'));
    const suite = await loadSuite(dir);
    const scorers = await createScorers(suite.scorers, { suite });
    expect(scorers.map((s) => [s.name, s.type, s.gating])).toEqual([
      ['exact', 'exact', true], ['has', 'contains', true], ['regex', 'regex', true], ['numeric', 'numeric', true],
      ['json', 'json', true], ['latency', 'latency', false], ['cost', 'cost', false],
    ]);
    expect(registeredScorerTypes()).toEqual(expect.arrayContaining(['exact', 'custom', 'llm-judge', 'faithfulness', 'reference-match', 'pairwise']));
  });

  it('bad options: every issue with suite file, line, column and key path', async () => {
    const dir = suiteWith([
      '  - type: numeric',
      '    tolerence: 0.1',
      '  - type: regex',
      "    pattern: '('",
      '  - type: nonesuch',
      '  - type: exact',
      '  - { type: contains, name: exact }',
    ].join('\n'));
    const suite = await loadSuite(dir);
    const err = await inputErrorOf(createScorers(suite.scorers, { suite }));
    const f = join(dir, 'suite.yaml');
    expect(err.message).toContain(`${f}:6:5 (scorers[0].tolerence): unknown option 'tolerence'`); // the key, not its value
    expect(err.message).toContain(`${f}:8:14 (scorers[1].pattern): invalid regex`);
    expect(err.message).toContain(`${f}:9:11 (scorers[2].type): unknown scorer type 'nonesuch'`);
    expect(err.message).toContain(`${f}:11:29 (scorers[4].name): scorer name 'exact' is also used by scorers[3]`);
    expect(err.issues).toHaveLength(4);
    // A malformed `when:` is already caught by loadSuite, with its location.
    const whenDir = suiteWith('  - type: exact\n    when: { tags: x }');
    const werr = await inputErrorOf(loadSuite(whenDir));
    expect(werr.message).toContain(`${join(whenDir, 'suite.yaml')}:6:11 (scorers[0].when)`);
  });

  it('a measuring scorer (latency, cost) cannot gate without a threshold: it would never pass or fail', async () => {
    const dir = suiteWith(['  - { type: latency, gating: true }', '  - { type: cost, gating: true, threshold: 0.01 }', '  - { type: cost, name: spend, gating: true }'].join('\n'));
    const suite = await loadSuite(dir);
    const err = await inputErrorOf(createScorers(suite.scorers, { suite }));
    const f = join(dir, 'suite.yaml');
    expect(err.message).toContain(`${f}:5:30 (scorers[0].gating): without a \`threshold\` this scorer only measures (no pass or fail), so it cannot gate`);
    expect(err.message).toMatch(/suite\.yaml:7:\d+ \(scorers\[2\]\.gating\)/);
    expect(err.issues).toHaveLength(2);
  });

  it('judge scorer errors from judge/ get the suite line too', async () => {
    const dir = suiteWith('  - type: llm-judge\n    rubric: missing.md\n    judge: sim:judge');
    const suite = await loadSuite(dir);
    const err = await inputErrorOf(createScorers(suite.scorers, { suite }));
    expect(err.issues.some((i) => i.file === join(dir, 'suite.yaml') && i.path === 'scorers[0].rubric' && i.line === 6)).toBe(true);
  });

  it('when: restricts a scorer to cases with (or without) tags', async () => {
    const dir = suiteWith(['  - { type: numeric, when: { tag: kind:math } }', '  - { type: exact, when: { tag: [kind:a, kind:b], notTag: hard } }'].join('\n'));
    const suite = await loadSuite(dir);
    const [num, ex] = await createScorers(suite.scorers, { suite });
    const c = (tags: string[]) => ({ id: 'x', vars: {}, tags });
    expect(num!.appliesTo!(c(['kind:math']))).toBe(true);
    expect(num!.appliesTo!(c(['kind:faq']))).toBe(false);
    expect(ex!.appliesTo!(c(['kind:b']))).toBe(true);
    expect(ex!.appliesTo!(c(['kind:b', 'hard']))).toBe(false);
    expect(ex!.appliesTo!(c([]))).toBe(false);
    expect([num!.name, num!.type, num!.gating]).toEqual(['numeric', 'numeric', true]);
    expect(await num!.score(input('= 1', { expected: '1' }))).toMatchObject({ pass: true });
  });

  it('registration is open: a new type validates its options with the same locations', async () => {
    registerScorer('max-length', (spec, ctx) => {
      const o = ctx.parse(scorerOptions({ max: z.number().int().positive() }), spec);
      return { name: o.name ?? 'max-length', type: 'max-length', gating: o.gating ?? true, score: ({ output }) => ({ name: o.name ?? 'max-length', value: output.text.length, pass: output.text.length <= o.max }) };
    });
    const ok = await loadSuite(suiteWith('  - { type: max-length, max: 3 }'));
    const [s] = await createScorers(ok.scorers, { suite: ok });
    expect(await s!.score(input('abcd'))).toMatchObject({ pass: false, value: 4 });
    const badDir = suiteWith('  - type: max-length\n    max: -2');
    const bad = await loadSuite(badDir);
    const err = await inputErrorOf(createScorers(bad.scorers, { suite: bad }));
    expect(err.message).toContain(`${join(badDir, 'suite.yaml')}:6:10 (scorers[0].max)`);
  });

  it('stored specs re-create the same scorers without the suite file (re-scoring)', async () => {
    const suite = await loadSuite(suiteWith('  - { type: numeric, tolerance: 0.5 }'));
    const stored = JSON.parse(JSON.stringify(suite.scorers));
    const [s] = await createScorers(stored, { suite: { file: suite.file, dir: suite.dir, source: undefined } });
    expect((await s!.score(input('1.4', { expected: '1' }))).pass).toBe(true);
  });
});

describe('custom scorers', () => {
  const mjs = [
    'export default function ({ text, expected, options }) {',
    '  if (text === "boom") throw new Error("kaput");',
    '  if (text === "bad") return { nope: 1 };',
    '  if (text === "async") return Promise.resolve(true);',
    '  return { pass: text.length >= options.min, value: text.length, reason: `len ${text.length} vs ${expected}` };',
    '}',
  ].join('\n');

  it('loads an .mjs module relative to the suite; its result becomes the score', async () => {
    const dir = suiteWith('  - type: custom\n    name: len\n    module: ./len.mjs\n    options: { min: 3 }', { 'len.mjs': mjs });
    const suite = await loadSuite(dir);
    const [s] = await createScorers(suite.scorers, { suite });
    expect(await s!.score(input('abcd', { expected: 'e' }))).toEqual({ name: 'len', value: 4, pass: true, reason: 'len 4 vs e' });
    expect(await s!.score(input('ab'))).toMatchObject({ pass: false, value: 2 });
    expect(await s!.score(input('async'))).toEqual({ name: 'len', value: 1, pass: true });
  });

  it('a throwing scorer or a malformed result is a ScorerError (outcome error), never a fail', async () => {
    const dir = suiteWith('  - type: custom\n    module: ./len.mjs\n    options: { min: 3 }', { 'len.mjs': mjs });
    const suite = await loadSuite(dir);
    const [s] = await createScorers(suite.scorers, { suite });
    const thrown = await Promise.resolve(s!.score(input('boom'))).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ScorerError);
    expect((thrown as ScorerError).message).toContain('threw: kaput');
    const bad = await Promise.resolve(s!.score(input('bad'))).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ScorerError);
    expect((bad as Error).message).toContain('returned {"nope":1}');
  });

  it('an object with a score method, and a TypeScript module through tsx', async () => {
    const dir = suiteWith('  - { type: custom, name: obj, module: obj.mjs }\n  - { type: custom, name: typed, module: typed.ts }', {
      'obj.mjs': 'export default { score: (i) => ({ pass: i.text === "y", value: 0.5 }) };',
      'typed.ts': 'interface In { text: string }\nconst f = (i: In): { pass: boolean } => ({ pass: i.text.startsWith("y") });\nexport default f;\n',
    });
    const suite = await loadSuite(dir);
    const [obj, typed] = await createScorers(suite.scorers, { suite });
    expect(await obj!.score(input('y'))).toEqual({ name: 'obj', value: 0.5, pass: true });
    expect(await typed!.score(input('yes'))).toEqual({ name: 'typed', value: 1, pass: true });
  });

  it('a missing module, a module that fails to load, or one without a default export is reported at load time', async () => {
    const dir = suiteWith('  - { type: custom, name: a, module: gone.mjs }\n  - { type: custom, name: b, module: broken.mjs }\n  - { type: custom, name: c, module: nodefault.mjs }', {
      'broken.mjs': 'export default (;',
      'nodefault.mjs': 'export const x = 1;',
    });
    const suite = await loadSuite(dir);
    const err = await inputErrorOf(createScorers(suite.scorers, { suite }));
    const f = join(dir, 'suite.yaml');
    expect(err.message).toContain(`${f}:5:38 (scorers[0].module): module not found: ${join(dir, 'gone.mjs')}`);
    expect(err.message).toContain(`(scorers[1].module): cannot load ${join(dir, 'broken.mjs')}`);
    expect(err.message).toContain('(scorers[2].module)');
    expect(err.message).toContain('must export default a function');
  });
});
