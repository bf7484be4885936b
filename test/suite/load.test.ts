import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScorers } from '../../src/eval/scorers/registry.js';
import { iterateCases, loadSuite, renderMessages, type LoadSuiteOptions } from '../../src/suite/index.js';
import { inputErrorOf, SIMPLE_SUITE, tempSuite } from './helpers.js';

const line = (o: unknown) => JSON.stringify(o);

describe('loadSuite: valid suites', () => {
  it('loads suite.yaml from a folder or the file, counts cases and streams them in file order', async () => {
    const dir = tempSuite({
      'suite.yaml': ['name: demo', 'description: d', 'system: You are {{persona.name}}.', 'prompt: "{{ question }} ({{id}}) {{persona.name}}"', 'cases: cases.jsonl', 'scorers:', '  - type: exact', 'gates:', '  passRate: { min: 0.9 }', ''].join('\n'),
      'cases.jsonl': [
        line({ id: 'a', vars: { question: 'one?', persona: { name: 'Ann' } }, expected: '1', tags: ['t1'] }),
        '',
        line({ id: 7, vars: { question: 'two?', persona: { name: 'Bo' } }, expected: { x: 1 }, context: 'ctx' }),
        '',
      ].join('\r\n'),
    });
    const s = await loadSuite(dir);
    expect(s.file).toBe(join(dir, 'suite.yaml'));
    expect(s.dir).toBe(dir);
    expect(s.caseCount).toBe(2);
    expect(s.gates).toEqual({ passRate: { min: 0.9 } });
    expect(s.variables).toEqual(['question', 'id', 'persona.name']);
    expect((await loadSuite(join(dir, 'suite.yaml'))).hash).toBe(s.hash);
    const cases = [];
    for await (const c of iterateCases(s)) cases.push(c);
    expect(cases.map((c) => [c.id, c.expected, c.tags, c.source?.line])).toEqual([['a', '1', ['t1'], 1], ['7', '{"x":1}', [], 3]]);
    expect(cases[1]!.context).toBe('ctx');
    expect(renderMessages(s, cases[0]!)).toEqual([
      { role: 'system', content: 'You are Ann.' },
      { role: 'user', content: 'one? (a) Ann' },
    ]);
    const render = renderMessages(s);
    expect(render(cases[1]!)[1]!.content).toBe('two? (7) Bo');
  });

  it('the content hash changes with a case or the prompt, not with a YAML comment', async () => {
    const dir = tempSuite({ 'suite.yaml': SIMPLE_SUITE, 'cases.jsonl': `${line({ id: 'a', vars: { question: 'x' }, expected: 'y' })}\n` });
    const h0 = (await loadSuite(dir)).hash;
    writeFileSync(join(dir, 'suite.yaml'), `# a comment\n${SIMPLE_SUITE}`);
    expect((await loadSuite(dir)).hash).toBe(h0);
    writeFileSync(join(dir, 'suite.yaml'), SIMPLE_SUITE.replace('Q:', 'Question:'));
    const h1 = (await loadSuite(dir)).hash;
    expect(h1).not.toBe(h0);
    writeFileSync(join(dir, 'cases.jsonl'), `${line({ id: 'a', vars: { question: 'x' }, expected: 'z' })}\n`);
    expect((await loadSuite(dir)).hash).not.toBe(h1);
  });

  it('the prompt may use {{context}} of the case but never {{expected}}', async () => {
    const ok = tempSuite({ 'suite.yaml': SIMPLE_SUITE.replace('Q: {{question}}', '{{context}} / {{question}}'), 'cases.jsonl': line({ id: 'a', vars: { question: 'q' }, context: 'c' }) });
    const s = await loadSuite(ok);
    for await (const c of iterateCases(s)) expect(renderMessages(s, c)[0]!.content).toBe('c / q');
    const leak = tempSuite({ 'suite.yaml': SIMPLE_SUITE.replace('{{question}}', '{{expected}}'), 'cases.jsonl': line({ id: 'a', vars: {}, expected: 'secret' }) });
    const err = await inputErrorOf(loadSuite(leak));
    expect(err.message).toContain('{{expected}} is not a variable of any case');
  });
});

describe('loadSuite: every bad input names file, line and key', () => {
  it('malformed YAML: file:line:col', async () => {
    const dir = tempSuite({ 'suite.yaml': 'name: x\nprompt: [unclosed\ncases: c.jsonl\n', 'c.jsonl': '' });
    const err = await inputErrorOf(loadSuite(dir));
    expect(err.issues[0]!.file).toBe(join(dir, 'suite.yaml'));
    expect(err.issues[0]!.line).toBeGreaterThanOrEqual(2);
    expect(err.message).toMatch(/suite\.yaml:\d+:\d+: YAML syntax/);
  });

  it('schema problems: every issue with line and key path, unknown keys included', async () => {
    const dir = tempSuite({ 'suite.yaml': ['name: bad name!', 'promt: hi', 'cases: c.jsonl', 'scorers: []', ''].join('\n') });
    const err = await inputErrorOf(loadSuite(dir));
    const file = join(dir, 'suite.yaml');
    expect(err.message).toContain(`${file}:1:7 (name)`);
    expect(err.message).toContain('(prompt)'); // missing key → its parent, with the path
    expect(err.message).toMatch(/promt/); // the typo is named
    expect(err.message).toContain(`${file}:4:10 (scorers): a suite needs at least one scorer`);
  });

  it('the fixture files under fixtures/suites fail with the documented locations', async () => {
    const root = join(import.meta.dirname, '../../fixtures/suites');
    const dup = await inputErrorOf(loadSuite(join(root, 'duplicate-id')));
    expect(dup.message).toContain(`${join(root, 'duplicate-id', 'cases.jsonl')}:3 (id): duplicate id 'b' (first on line 2)`);
    const mal = await inputErrorOf(loadSuite(join(root, 'malformed-line')));
    expect(mal.issues).toHaveLength(1);
    expect(mal.message).toContain(`${join(root, 'malformed-line', 'cases.jsonl')}:2: malformed JSON`);
    const miss = await inputErrorOf(loadSuite(join(root, 'missing-var')));
    expect(miss.message).toContain(`${join(root, 'missing-var', 'cases.jsonl')}:2 (vars.city): case 'b' has no variable 'city', which the prompt uses`);
  });

  it('a case that is not an object, without id, with non-object vars, or unknown keys', async () => {
    const dir = tempSuite({
      'suite.yaml': SIMPLE_SUITE.replace('Q: {{question}}', 'Q'),
      'cases.jsonl': ['[1,2]', line({ vars: {} }), line({ id: 'x', vars: 'nope' }), line({ id: 'y', vars: {}, expect: 'typo' }), line({ id: '', vars: {} })].join('\n'),
    });
    const err = await inputErrorOf(loadSuite(dir));
    const f = join(dir, 'cases.jsonl');
    expect(err.message).toContain(`${f}:1: a case is a JSON object`);
    expect(err.message).toContain(`${f}:2 (id)`);
    expect(err.message).toContain(`${f}:3 (vars): vars must be an object`);
    expect(err.message).toContain(`${f}:4 (expect): unknown key "expect"`);
    expect(err.message).toContain('"expect"');
    expect(err.message).toContain(`${f}:5 (id)`);
  });

  it('a variable no case provides is reported once, at the prompt in suite.yaml', async () => {
    const dir = tempSuite({ 'suite.yaml': SIMPLE_SUITE.replace('{{question}}', '{{question}} {{qeustion}}'), 'cases.jsonl': [line({ id: 'a', vars: { question: 'x' } }), line({ id: 'b', vars: { question: 'y' } })].join('\n') });
    const err = await inputErrorOf(loadSuite(dir));
    expect(err.issues).toHaveLength(1);
    expect(err.message).toContain(`${join(dir, 'suite.yaml')}:2:9 (prompt): {{qeustion}} is not a variable of any case (case variables: question; also id, context)`);
  });

  it('an unreadable case file or dataset names the file', async () => {
    const dir = tempSuite({ 'suite.yaml': SIMPLE_SUITE.replace('cases.jsonl', 'nowhere.jsonl') });
    const err = await inputErrorOf(loadSuite(dir));
    expect(err.message).toContain(`${join(dir, 'nowhere.jsonl')}: cannot read cases: file not found`);
    const ds = tempSuite({ 'suite.yaml': SIMPLE_SUITE.replace('cases: cases.jsonl', 'cases: { path: ../no/data.csv, vars: { question: q } }') });
    const err2 = await inputErrorOf(loadSuite(ds));
    expect(err2.message).toContain(`${join(ds, '../no/data.csv')}: cannot read dataset: file not found`);
    const folder = tempSuite({ 'suite.yaml': SIMPLE_SUITE.replace('cases.jsonl', '.') });
    expect((await inputErrorOf(loadSuite(folder))).message).toContain('is a folder');
    expect((await inputErrorOf(loadSuite(join(dir, 'absent')))).message).toContain('cannot read suite: file not found');
  });

  it('an empty case file is an error; a broken file lists 50 issues and counts the rest', async () => {
    const empty = tempSuite({ 'suite.yaml': SIMPLE_SUITE, 'cases.jsonl': '\n\n' });
    expect((await inputErrorOf(loadSuite(empty))).message).toContain('no cases');
    const broken = tempSuite({ 'suite.yaml': SIMPLE_SUITE, 'cases.jsonl': Array.from({ length: 80 }, () => '{oops').join('\n') });
    const err = await inputErrorOf(loadSuite(broken));
    expect(err.issues).toHaveLength(51);
    expect(err.issues[50]!.message).toBe('…and 30 more');
  });
});

describe('loadSuite: every problem of a suite in one error', () => {
  // What `llmops eval` passes: the scorers are created (options validated) while the suite loads.
  const withScorers: LoadSuiteOptions = { checkScorers: async (specs, suite) => { await createScorers(specs, { suite }); } };

  it('schema errors, scorer options, the case file and the template, together (not one stage per run)', async () => {
    const dir = tempSuite({
      'suite.yaml': [
        'name: bad name!', //                          1
        "prompt: 'Q: {{question}} {{qeustion}}'", //  2
        'cases: cases.jsonl', //                       3
        'colour: red', //                              4
        'scorers:', //                                 5
        '  - type: numeric', //                        6
        '    tolerence: 0.1', //                       7
        '  - type: exact', //                          8
        '    when: { tags: x }', //                    9
        '  - type: regex', //                          10
        "    pattern: '('", //                         11
        '',
      ].join('\n'),
      'cases.jsonl': [line({ id: 'a', vars: { question: 'x' } }), line({ id: 'a', vars: { question: 'y' } }), '{oops'].join('\n'),
    });
    const err = await inputErrorOf(loadSuite(dir, withScorers));
    const f = join(dir, 'suite.yaml');
    const cases = join(dir, 'cases.jsonl');
    expect(err.message).toContain(`${f}:1:7 (name): a suite name is letters`);
    expect(err.message).toContain(`${f}:4:1 (colour): unknown key 'colour'`);
    expect(err.message).toContain(`${f}:9:13 (scorers[1].when.tags): unknown key 'tags'`);
    // Scorer options, though scorers[1] failed the schema: the others keep their index.
    expect(err.message).toContain(`${f}:7:5 (scorers[0].tolerence): unknown option 'tolerence'`);
    expect(err.message).toContain(`${f}:11:14 (scorers[2].pattern): invalid regex`);
    expect(err.message).toContain(`${cases}:2 (id): duplicate id 'a' (first on line 1)`);
    expect(err.message).toContain(`${cases}:3: malformed JSON`);
    expect(err.message).toContain(`${f}:2:9 (prompt): {{qeustion}} is not a variable of any case`);
    // Each problem once: the schema's problem with scorers[1] is not reported again by its scorer.
    expect(err.issues.filter((i) => i.path?.startsWith('scorers[1]')).map((i) => i.path)).toEqual(['scorers[1].when.tags', 'scorers[1].when']);
    expect(err.issues).toHaveLength(9);
  });

  it('an unreadable case file is listed with the schema problems; the cap of 50 keeps the suite.yaml ones first', async () => {
    const missing = tempSuite({ 'suite.yaml': SIMPLE_SUITE.replace('name: simple', 'name: bad name!').replace('cases.jsonl', 'nowhere.jsonl') });
    const err = await inputErrorOf(loadSuite(missing, withScorers));
    expect(err.issues.map((i) => i.path ?? i.message)).toEqual(['name', `cannot read cases: file not found`]);
    const broken = tempSuite({
      'suite.yaml': SIMPLE_SUITE.replace('name: simple', 'name: bad name!').replace('  - type: exact', '  - { type: exact, colour: red }'),
      'cases.jsonl': Array.from({ length: 80 }, () => '{oops').join('\n'),
    });
    const capped = await inputErrorOf(loadSuite(broken, withScorers));
    expect(capped.issues).toHaveLength(51);
    expect(capped.issues.slice(0, 2).map((i) => i.path)).toEqual(['name', 'scorers[0].colour']);
    expect(capped.issues[50]!.message).toBe('…and 32 more');
  });

  it('a suite with no problems still loads with the check, and the check sees the specs', async () => {
    const dir = tempSuite({ 'suite.yaml': SIMPLE_SUITE, 'cases.jsonl': line({ id: 'a', vars: { question: 'x' } }) });
    const seen: unknown[] = [];
    const suite = await loadSuite(dir, { checkScorers: (specs) => { seen.push(...specs); } });
    expect(seen).toEqual([{ type: 'exact' }]);
    expect(suite.caseCount).toBe(1);
  });
});
