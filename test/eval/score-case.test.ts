import { describe, expect, it } from 'vitest';
import { decideOutcome, type Judgement } from '../../src/eval/outcome.js';
import { scoreCase } from '../../src/eval/score-case.js';
import { createScorers } from '../../src/eval/scorers/registry.js';
import type { Scorer } from '../../src/eval/scorers/types.js';
import { loadSuite } from '../../src/suite/index.js';
import { tempSuite } from '../suite/helpers.js';
import { input } from '../scorers/support.js';

type State = 'pass' | 'fail' | 'measure' | 'error';
const STATES: State[] = ['pass', 'fail', 'measure', 'error'];
const judgement = (state: State, gating: boolean): Judgement =>
  state === 'error'
    ? { gating, error: 'could not evaluate' }
    : { gating, score: { name: 's', value: state === 'pass' ? 1 : 0, pass: state === 'measure' ? null : state === 'pass' } };

/** Every list of exactly `k` judgements, each in any state, gating or not. */
function* lists(k: number): Generator<Judgement[]> {
  if (k === 0) { yield []; return; }
  for (const rest of lists(k - 1)) for (const st of STATES) for (const gating of [true, false]) yield [...rest, judgement(st, gating)];
}
function* upTo(n: number): Generator<Judgement[]> {
  for (let k = 0; k <= n; k++) yield* lists(k);
}

describe('decideOutcome', () => {
  it('over every combination of up to 3 scorers: a gating error makes an error, else a gating fail a fail, else a pass', () => {
    let checked = 0;
    for (const list of upTo(3)) {
      const gating = list.filter((j) => j.gating);
      const expected = gating.some((j) => 'error' in j) ? 'error'
        : gating.some((j) => 'score' in j && j.score.pass === false) ? 'fail' : 'pass';
      expect(decideOutcome(list), JSON.stringify(list)).toBe(expected);
      // Non-gating scorers never decide: dropping them never changes the outcome.
      expect(decideOutcome(gating)).toBe(decideOutcome(list));
      checked++;
    }
    expect(checked).toBe(1 + 8 + 64 + 512);
  });

  it('an error of a gating scorer wins over a fail of another, whichever comes first', () => {
    expect(decideOutcome([judgement('fail', true), judgement('error', true)])).toBe('error');
    expect(decideOutcome([judgement('error', true), judgement('fail', true)])).toBe('error');
    expect(decideOutcome([judgement('error', false), judgement('fail', false), judgement('measure', true)])).toBe('pass');
  });
});

const throwing = 'export default ({ text }) => { if (text.includes("{")) throw new Error("boom"); return true; };';

async function scorersOf(scorersYaml: string): Promise<Scorer[]> {
  const dir = tempSuite({
    'suite.yaml': ['name: s', "prompt: '{{q}}'", 'cases: cases.jsonl', 'scorers:', scorersYaml, ''].join('\n'),
    'cases.jsonl': JSON.stringify({ id: 'a', vars: { q: 'x' }, expected: { k: 1 } }),
    't2.mjs': throwing,
  });
  const suite = await loadSuite(dir);
  return createScorers(suite.scorers, { suite });
}

describe('scoreCase', () => {
  const c = { id: 'a', vars: {}, tags: ['kind:json'], expected: '{"k":1}' };

  it('a non-gating scorer that throws is recorded as its error; the others still score and decide', async () => {
    const scorers = await scorersOf(['  - type: json', '  - { type: custom, module: ./t2.mjs, gating: false }', '  - type: contains'].join('\n'));
    const good = await scoreCase(scorers, c, input('{"k":1}', c));
    expect(good.outcome).toBe('pass');
    expect(good.error).toBeNull();
    expect(good.scores.map((s) => [s.name, s.pass])).toEqual([['json', true], ['contains', true]]);
    expect(good.scoreErrors).toEqual([{ name: 'custom', message: 'custom scorer ./t2.mjs threw: boom' }]);

    const bad = await scoreCase(scorers, c, input('{"k":2}', c));
    expect(bad.outcome).toBe('fail'); // decided by json and contains, not by the broken scorer
    expect(bad.scores.map((s) => [s.name, s.pass])).toEqual([['json', false], ['contains', false]]);
    expect(bad.scoreErrors.map((e) => e.name)).toEqual(['custom']);
  });

  it('a gating scorer that throws makes the case an error naming it, and the other scores are kept', async () => {
    const scorers = await scorersOf(['  - type: json', '  - { type: custom, module: ./t2.mjs }', '  - type: contains'].join('\n'));
    const r = await scoreCase(scorers, c, input('{"k":1}', c));
    expect(r.outcome).toBe('error');
    expect(r.error).toEqual({ kind: 'scorer', message: 'custom: custom scorer ./t2.mjs threw: boom' });
    expect(r.scores.map((s) => s.name)).toEqual(['json', 'contains']);
    expect(r.scoreErrors).toEqual([{ name: 'custom', message: 'custom scorer ./t2.mjs threw: boom' }]);
  });

  it('two failing gating scorers are both named; a scorer whose `when:` excludes the case neither scores nor errs', async () => {
    const scorers = await scorersOf([
      '  - { type: custom, name: one, module: ./t2.mjs }',
      '  - { type: custom, name: two, module: ./t2.mjs }',
      '  - { type: custom, name: skipped, module: ./t2.mjs, when: { tag: kind:other } }',
      '  - type: numeric',
    ].join('\n'));
    const r = await scoreCase(scorers, c, input('{"k":1}', c));
    expect(r.outcome).toBe('error');
    expect(r.error!.message).toBe('one: custom scorer ./t2.mjs threw: boom; two: custom scorer ./t2.mjs threw: boom; numeric: case a: expected \'{"k":1}\' is not a number');
    expect(r.scoreErrors.map((e) => e.name)).toEqual(['one', 'two', 'numeric']);
    expect(r.scores).toEqual([]);
  });

  it('anything but a ScorerError is a bug and is not swallowed', async () => {
    const buggy: Scorer = { name: 'buggy', type: 'x', gating: false, score: () => { throw new TypeError('undefined is not a function'); } };
    await expect(scoreCase([buggy], c, input('x', c))).rejects.toThrow(TypeError);
  });
});
