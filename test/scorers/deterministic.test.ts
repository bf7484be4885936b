import { describe, expect, it } from 'vitest';
import { ContainsOptionsSchema, ContainsScorer } from '../../src/eval/scorers/contains.js';
import { CostOptionsSchema, CostScorer } from '../../src/eval/scorers/cost.js';
import { ExactOptionsSchema, ExactScorer } from '../../src/eval/scorers/exact.js';
import { extractJson } from '../../src/eval/scorers/json-extract.js';
import { compileJsonSchema, JsonOptionsSchema, JsonScorer } from '../../src/eval/scorers/json.js';
import { LatencyOptionsSchema, LatencyScorer } from '../../src/eval/scorers/latency.js';
import { numbersIn, parseWholeNumber } from '../../src/eval/scorers/numbers.js';
import { NumericOptionsSchema, NumericScorer } from '../../src/eval/scorers/numeric.js';
import { RegexOptionsSchema, RegexScorer } from '../../src/eval/scorers/regex.js';
import { ScorerError } from '../../src/eval/scorers/types.js';
import { input } from './support.js';

const exact = (o: object = {}) => new ExactScorer(ExactOptionsSchema.parse({ type: 'exact', ...o }));
const contains = (o: object = {}) => new ContainsScorer(ContainsOptionsSchema.parse({ type: 'contains', ...o }));
const regex = (o: object) => new RegexScorer(RegexOptionsSchema.parse({ type: 'regex', ...o }));
const numeric = (o: object = {}) => new NumericScorer(NumericOptionsSchema.parse({ type: 'numeric', ...o }));
const json = (o: object = {}) => {
  const opts = JsonOptionsSchema.parse({ type: 'json', ...o });
  return new JsonScorer(opts, compileJsonSchema(opts.schema, '/'));
};

describe('exact', () => {
  it('trims by default and is case-sensitive unless told', () => {
    expect(exact().score(input(' Paris \n', { expected: 'Paris' }))).toMatchObject({ name: 'exact', value: 1, pass: true });
    expect(exact().score(input('paris', { expected: 'Paris' }))).toMatchObject({ value: 0, pass: false, reason: "expected 'Paris', got 'paris'" });
    expect(exact({ caseSensitive: false }).score(input('PARIS', { expected: 'paris' })).pass).toBe(true);
    expect(exact({ trim: false }).score(input('Paris ', { expected: 'Paris' })).pass).toBe(false);
    expect(exact({ value: 'ok', name: 'fixed' }).score(input('ok'))).toMatchObject({ name: 'fixed', pass: true });
  });
  it('a case without expected is a scorer error, not a fail', () => {
    expect(() => exact().score(input('x'))).toThrow(ScorerError);
  });
});

describe('contains', () => {
  it('case-insensitive by default; any/all of a list', () => {
    expect(contains().score(input('The answer is LEEDS.', { expected: 'Leeds' })).pass).toBe(true);
    expect(contains({ caseSensitive: true }).score(input('the answer is leeds', { expected: 'Leeds' })).pass).toBe(false);
    const all = contains({ value: ['red', 'blue'] });
    expect(all.score(input('red and blue')).pass).toBe(true);
    expect(all.score(input('only red'))).toMatchObject({ pass: false, reason: "missing 'blue'", meta: { found: 1, of: 2 } });
    expect(contains({ value: ['red', 'blue'], mode: 'any' }).score(input('only red')).pass).toBe(true);
    expect(contains({ value: ['red', 'blue'], mode: 'any' }).score(input('green')).pass).toBe(false);
  });
});

describe('regex', () => {
  it('match, flags, negate and matchExpected', () => {
    expect(regex({ pattern: '^yes\\b', flags: 'i' }).score(input('Yes, it is')).pass).toBe(true);
    expect(regex({ pattern: '^yes\\b' }).score(input('Yes'))).toMatchObject({ pass: false, reason: 'no match for /^yes\\b/' });
    expect(regex({ pattern: 'as an AI', negate: true }).score(input('Sure: 4')).pass).toBe(true);
    expect(regex({ pattern: 'as an AI', negate: true }).score(input('as an AI, no')).pass).toBe(false);
    const cap = regex({ pattern: 'Answer:\\s*(\\w+)', matchExpected: true });
    expect(cap.score(input('… Answer: B', { expected: 'B' })).pass).toBe(true);
    expect(cap.score(input('… Answer: C', { expected: 'B' }))).toMatchObject({ pass: false, reason: "captured 'C', expected 'B'" });
  });
  it('invalid patterns and flags are rejected at load time', () => {
    expect(RegexOptionsSchema.safeParse({ type: 'regex', pattern: '(' }).success).toBe(false);
    expect(RegexOptionsSchema.safeParse({ type: 'regex', pattern: 'a', flags: 'g' }).success).toBe(false);
    expect(RegexOptionsSchema.safeParse({ type: 'regex', pattern: 'a', matchExpected: true }).success).toBe(false);
  });
});

describe('numbers in text', () => {
  it('thousands separators, negatives, currency, decimals; hyphens are not signs', () => {
    expect(numbersIn('It costs $1,234.50, not -3 or −7; COVID-19 x3')).toEqual([1234.5, -3, -7, 19]); // 'x3' is a code, not a number
    expect(numbersIn('1,450,000 and 10,5')).toEqual([1450000, 10, 5]);
    expect(parseWholeNumber(' -2,125 ')).toBe(-2125);
    expect(parseWholeNumber('12 apples')).toBeUndefined();
    expect(parseWholeNumber('€5')).toBe(5);
  });
});

describe('numeric', () => {
  it('last number by default, tolerance absolute and relative', () => {
    expect(numeric().score(input('3 + 4 = 7, so the answer is 18', { expected: '18' })).pass).toBe(true);
    expect(numeric().score(input('18 was wrong; it is 17', { expected: '18' }))).toMatchObject({ pass: false, reason: 'answer 17, expected 18', meta: { answer: 17, expected: 18 } });
    expect(numeric({ extract: 'first' }).score(input('18 was wrong; it is 17', { expected: '18' })).pass).toBe(true);
    expect(numeric().score(input('0.1 + 0.2 = 0.30000000000000004', { expected: '0.3' })).pass).toBe(true);
    expect(numeric({ tolerance: 0.5 }).score(input('99.6', { expected: '100' })).pass).toBe(true);
    expect(numeric({ tolerance: 0.5 }).score(input('99.4', { expected: '100' })).pass).toBe(false);
    expect(numeric({ relTolerance: 0.01 }).score(input('1,009,000', { expected: '1,000,000' })).pass).toBe(true);
    expect(numeric({ relTolerance: 0.01 }).score(input('1,011,000', { expected: '1000000' })).pass).toBe(false);
    expect(numeric().score(input('It got colder: -10 degrees', { expected: '-10' })).pass).toBe(true);
    expect(numeric().score(input('The total is $2,125.', { expected: '2125' })).pass).toBe(true);
  });
  it('answer regex; no number fails; a non-numeric expected is a scorer error', () => {
    const s = numeric({ pattern: 'answer:\\s*(\\S+)' });
    expect(s.score(input('steps 1 2 3. Answer: 42. Check: 7', { expected: '42' })).pass).toBe(true);
    expect(s.score(input('I think 42', { expected: '42' }))).toMatchObject({ pass: false });
    expect(numeric().score(input('no idea', { expected: '5' }))).toMatchObject({ value: 0, pass: false, reason: "no number in the answer 'no idea'" });
    expect(() => numeric().score(input('5', { expected: 'five' }))).toThrow(ScorerError);
    expect(NumericOptionsSchema.safeParse({ type: 'numeric', pattern: 'no group' }).success).toBe(false);
    expect(NumericOptionsSchema.safeParse({ type: 'numeric', tolerance: -1 }).success).toBe(false);
  });
});

describe('json', () => {
  const schema = { type: 'object', required: ['name', 'qty'], properties: { name: { type: 'string' }, qty: { type: 'integer' } } };
  it('finds JSON bare, in a fenced block, or inside prose', () => {
    expect(extractJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('Here:\n```json\n{"a": 2}\n```\nDone')).toEqual({ ok: true, value: { a: 2 } });
    expect(extractJson('Sure! {"a": 3} hope it helps')).toEqual({ ok: true, value: { a: 3 } });
    expect(extractJson('nothing here').ok).toBe(false);
    expect(extractJson('{"a": ').ok).toBe(false);
  });
  it('validates against a schema and compares fields with expected', () => {
    const s = json({ schema });
    const expected = JSON.stringify({ name: 'Ann', qty: 2 });
    expect(s.score(input('```json\n{"qty": 2, "name": " Ann "}\n```', { expected }))).toMatchObject({ value: 1, pass: true });
    const wrong = s.score(input('{"name": "Bob", "qty": 2}', { expected }));
    expect(wrong.pass).toBe(false);
    expect(wrong.value).toBeCloseTo(2 / 3); // schema ok, qty ok, name wrong
    expect(wrong.reason).toContain('name: expected "Ann", got "Bob"');
    const bad = s.score(input('{"name": "Ann", "qty": "2"}', { expected }));
    expect(bad.pass).toBe(false);
    expect(bad.reason).toContain('schema: /qty must be integer');
    expect(s.score(input('not json', { expected }))).toMatchObject({ value: 0, pass: false });
  });
  it('compare a list of fields, or none; schema only when the case has no expected', () => {
    const expected = JSON.stringify({ name: 'Ann', qty: 2, note: 'x' });
    expect(json({ compare: ['name', 'qty'] }).score(input('{"name":"Ann","qty":2,"note":"y"}', { expected })).pass).toBe(true);
    expect(json({ compare: false, schema }).score(input('{"name":"Zed","qty":9}', { expected })).pass).toBe(true);
    expect(json({ schema }).score(input('{"name":"Zed","qty":9}')).pass).toBe(true);
    expect(json({ caseSensitive: false }).score(input('{"name":"ANN","qty":2,"note":"X"}', { expected })).pass).toBe(true);
    expect(() => json().score(input('{}', { expected: 'not json' }))).toThrow(ScorerError);
  });
});

describe('latency and cost', () => {
  it('latency measures in ms; judges only with a threshold', () => {
    const measure = new LatencyScorer(LatencyOptionsSchema.parse({ type: 'latency' }));
    expect(measure.gating).toBe(false);
    expect(measure.score(input('x', {}, { latencyMs: 1234 }))).toEqual({ name: 'latency', value: 1234, pass: null });
    const gate = new LatencyScorer(LatencyOptionsSchema.parse({ type: 'latency', threshold: 1000 }));
    expect(gate.gating).toBe(true);
    expect(gate.score(input('x', {}, { latencyMs: 1000 })).pass).toBe(true);
    expect(gate.score(input('x', {}, { latencyMs: 1001 }))).toMatchObject({ pass: false, reason: '1001 ms > 1000 ms' });
  });
  it('cost = tokens × price per 1M; without a price it cannot judge a threshold', () => {
    const price = { input: 2.5, output: 10 };
    const measure = new CostScorer(CostOptionsSchema.parse({ type: 'cost' }));
    // 1,000 × 2.5 / 1e6 + 500 × 10 / 1e6 = 0.0025 + 0.005 = 0.0075 USD
    const s = measure.score(input('x', {}, { inputTokens: 1000, outputTokens: 500, price }));
    expect(s.value).toBeCloseTo(0.0075, 12);
    expect(s.pass).toBeNull();
    expect(measure.score(input('x'))).toMatchObject({ value: 0, pass: null, meta: { priceKnown: false } });
    const gate = new CostScorer(CostOptionsSchema.parse({ type: 'cost', threshold: 0.005 }));
    expect(gate.score(input('x', {}, { inputTokens: 1000, outputTokens: 500, price })).pass).toBe(false);
    expect(gate.score(input('x', {}, { inputTokens: 1000, outputTokens: 100, price })).pass).toBe(true); // 0.0035
    expect(() => gate.score(input('x'))).toThrow(ScorerError);
  });
});
