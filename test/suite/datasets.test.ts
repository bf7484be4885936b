import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { iterateCases, loadSuite, renderMessages, type Case } from '../../src/suite/index.js';
import { inputErrorOf, tempSuite } from './helpers.js';

const REPO = join(import.meta.dirname, '../..');
// shared/ sits beside the repository (on a developer's machine and in CI alike).
const SHARED = join(REPO, '..', 'shared', 'datasets');
const GSM8K = join(SHARED, 'gsm8k', 'test.jsonl');
const BANKING = join(SHARED, 'banking77', 'test.csv');

async function all(path: string): Promise<Case[]> {
  const out: Case[] = [];
  for await (const c of iterateCases(await loadSuite(path))) out.push(c);
  return out;
}

describe('suites/gsm8k maps the shared GSM8K test file in place', () => {
  it('extracts all 1,319 final answers, stripping thousands separators and keeping negatives', async () => {
    const suite = await loadSuite(join(REPO, 'suites/gsm8k'));
    expect(suite.caseSource?.file).toBe(GSM8K);
    expect(suite.caseCount).toBe(1319);
    const cases = await all(join(REPO, 'suites/gsm8k'));
    const byId = new Map(cases.map((c) => [c.id, c]));
    expect(byId.size).toBe(1319);
    // Reference values computed independently with python3 (json + str.split('####')):
    // line 1 → 18, 147 → "2,125" → 2125, 202 → "114,200", 490 → -10, 1114 → -3, sum = 9009187.
    expect(byId.get('gsm8k-1')!.expected).toBe('18');
    expect(byId.get('gsm8k-147')!.expected).toBe('2125');
    expect(byId.get('gsm8k-202')!.expected).toBe('114200');
    expect(byId.get('gsm8k-490')!.expected).toBe('-10');
    expect(byId.get('gsm8k-1114')!.expected).toBe('-3');
    expect(cases.every((c) => /^-?\d+$/.test(c.expected!))).toBe(true);
    expect(cases.reduce((s, c) => s + Number(c.expected), 0)).toBe(9009187);
    expect(byId.get('gsm8k-1')!.vars.question).toMatch(/^Janet’s ducks lay 16 eggs per day/);
    const msgs = renderMessages(suite, byId.get('gsm8k-1')!);
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user']);
    expect(msgs[1]!.content).toBe(byId.get('gsm8k-1')!.vars.question);
    expect(msgs[1]!.content).not.toContain('####');
  });
});

describe('suites/banking77 maps the shared Banking77 CSV in place', () => {
  it('parses CRLF records, quoted commas and embedded newlines; 3,080 cases, 40 per label', async () => {
    const cases = await all(join(REPO, 'suites/banking77'));
    expect(cases).toHaveLength(3080);
    const labels = JSON.parse(readFileSync(join(SHARED, 'banking77', 'categories.json'), 'utf8')) as string[];
    const counts = new Map<string, number>();
    for (const c of cases) counts.set(c.expected!, (counts.get(c.expected!) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...labels].sort());
    expect(new Set(counts.values())).toEqual(new Set([40]));
    const byId = new Map(cases.map((c) => [c.id, c]));
    // Python's csv module: data row 0 starts on line 2; rows 559, 976, 1461 hold embedded newlines
    // and start on lines 561, 979, 1466 (after one, then two extra newlines before them).
    expect(byId.get('banking77-2')).toMatchObject({ vars: { text: 'How do I locate my card?' }, expected: 'card_arrival', tags: ['card_arrival'] });
    expect(byId.get('banking77-3')!.vars.text).toBe('I still have not received my new card, I ordered over a week ago.');
    expect(byId.get('banking77-561')).toMatchObject({ vars: { text: 'Where can I get my PIN unblocked?' }, expected: 'pin_blocked' });
    expect(byId.get('banking77-979')).toMatchObject({ vars: { text: 'What businesses accept this card?' }, expected: 'card_acceptance' });
    expect(byId.get('banking77-1466')).toMatchObject({ vars: { text: 'Which ATMs accept this card?' }, expected: 'atm_support' });
    expect(cases.at(-1)).toMatchObject({ vars: { text: 'Can the card be mailed and used in Europe?' }, expected: 'country_support' });
    expect(cases.every((c) => !/^\s|\s$/.test(c.vars.text as string) && !/\r/.test(c.vars.text as string))).toBe(true);
  });

  it('the prompt lists all 77 labels', async () => {
    const suite = await loadSuite(join(REPO, 'suites/banking77'));
    const labels = JSON.parse(readFileSync(join(SHARED, 'banking77', 'categories.json'), 'utf8')) as string[];
    for (const l of labels) expect(suite.prompt).toContain(`\n${l}\n`);
    expect(suite.caseSource?.file).toBe(BANKING);
  });
});

describe('dataset mappings: options and errors', () => {
  it('id from a field with prefix, dotted vars, fixed tags, context, trim', async () => {
    const dir = tempSuite({
      'suite.yaml': ['name: m', "prompt: '{{q}} {{who}}'", 'cases:', '  path: data.jsonl', '  id: meta.key', '  idPrefix: k-', '  vars: { q: text, who: meta.user.name }', '  expected: label', '  context: doc', '  tags: [from-data, x]', '  trim: true', 'scorers: [{ type: exact }]', ''].join('\n'),
      'data.jsonl': [JSON.stringify({ text: ' hi ', meta: { key: 'a1', user: { name: 'Al' } }, label: ' yes ', doc: 'D' })].join('\n'),
    });
    const [c] = await all(dir);
    expect(c).toMatchObject({ id: 'k-a1', vars: { q: 'hi', who: 'Al' }, expected: 'yes', context: 'D', tags: ['from-data', 'x'] });
  });

  it('without vars every field of a CSV record is a variable; tags from a field', async () => {
    const dir = tempSuite({
      'suite.yaml': ['name: m', "prompt: '{{a}}/{{b}}'", 'cases: { path: d.csv, expected: b, tags: a }', 'scorers: [{ type: exact }]', ''].join('\n'),
      'd.csv': 'a,b\r\n"x, y","1,000"\r\nz,2\r\n',
    });
    const cases = await all(dir);
    expect(cases.map((c) => [c.id, c.vars, c.expected, c.tags])).toEqual([['2', { a: 'x, y', b: '1,000' }, '1,000', ['x, y']], ['3', { a: 'z', b: '2' }, '2', ['z']]]);
  });

  it('a missing field, an unmatched expectedPattern and a malformed record name the dataset file, line and field', async () => {
    const dir = tempSuite({
      'suite.yaml': ['name: m', "prompt: '{{q}}'", 'cases:', '  path: data.jsonl', '  vars: { q: question }', '  expected: answer', "  expectedPattern: '#### (-?[\\d,]+)'", 'scorers: [{ type: numeric }]', ''].join('\n'),
      'data.jsonl': [JSON.stringify({ question: 'a', answer: 'x\n#### 5' }), JSON.stringify({ answer: '#### 1' }), JSON.stringify({ question: 'c', answer: 'no marker' }), '{bad', '[1]'].join('\n'),
    });
    const err = await inputErrorOf(loadSuite(dir));
    const f = join(dir, 'data.jsonl');
    expect(err.message).toContain(`${f}:2 (question): record has no field 'question' (mapped to vars.q)`);
    expect(err.message).toContain(`${f}:3 (answer): expectedPattern /#### (-?[\\d,]+)/ does not match 'no marker'`);
    expect(err.message).toContain(`${f}:4: malformed JSON`);
    expect(err.message).toContain(`${f}:5: a dataset record is a JSON object`);
  });

  it('bad mapping options are reported in suite.yaml with line and key', async () => {
    const dir = tempSuite({
      'suite.yaml': ['name: m', "prompt: '{{q}}'", 'cases:', '  path: data.jsonl', '  format: xml', "  expectedPattern: '(unclosed'", 'scorers: [{ type: exact }]', ''].join('\n'),
    });
    const err = await inputErrorOf(loadSuite(dir));
    const f = join(dir, 'suite.yaml');
    expect(err.message).toContain(`${f}:5:11 (cases.format)`);
    expect(err.message).toContain(`${f}:6:20 (cases.expectedPattern): invalid regex`);
    const noField = tempSuite({ 'suite.yaml': ['name: m', "prompt: '{{q}}'", 'cases: { path: d.jsonl, expectedPattern: \'(\\d+)\' }', 'scorers: [{ type: exact }]', ''].join('\n') });
    expect((await inputErrorOf(loadSuite(noField))).message).toContain(`${join(noField, 'suite.yaml')}:3:8 (cases.expected): \`expectedPattern\` needs \`expected: <field>\``);
  });

  it('a malformed CSV (unclosed quote) names the file and line', async () => {
    const dir = tempSuite({ 'suite.yaml': ['name: m', "prompt: '{{a}}'", 'cases: { path: d.csv }', 'scorers: [{ type: exact }]', ''].join('\n'), 'd.csv': 'a,b\n1,2\n"open,3\n' });
    const err = await inputErrorOf(loadSuite(dir));
    expect(err.issues[0]!.file).toBe(join(dir, 'd.csv'));
    expect(err.issues[0]!.line).toBeGreaterThanOrEqual(3);
    expect(err.message).toMatch(/malformed CSV/);
  });
});
