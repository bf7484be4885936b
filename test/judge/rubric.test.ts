import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadRubric, normaliseOnScale, parseRubric } from '../../src/judge/rubric.js';
import { SUITE_DIR } from './support.js';

const text = '---\nscale: [1, 5]\npass: 4\n---\nGrade {{answer}} against {{expected}}.\n';

describe('rubric files', () => {
  it('parses the scale and the text, and hashes the content', () => {
    const r = parseRubric('r.md', text);
    expect(r.scale).toEqual({ min: 1, max: 5, pass: 4 });
    expect(r.template).toBe('Grade {{answer}} against {{expected}}.');
    expect(r.hash).toMatch(/^[0-9a-f]{16}$/);
  });
  it('a changed rubric gets a new hash; line endings do not matter', () => {
    const a = parseRubric('r.md', text).hash;
    expect(parseRubric('r.md', text.replace('Grade', 'Score')).hash).not.toBe(a);
    expect(parseRubric('r.md', text.replace(/\n/g, '\r\n')).hash).toBe(a);
    expect(parseRubric('r.md', text.replace('pass: 4', 'pass: 3')).hash).not.toBe(a);
  });
  it('pass defaults to the top of the scale', () => {
    expect(parseRubric('r.md', '---\nscale: [0, 3]\n---\n{{answer}}').scale.pass).toBe(3);
  });
  it('reports bad front matter with file, line and key path', () => {
    try {
      parseRubric('bad.md', '---\nscale: [5, 1]\npass: 9\n---\n{{answer}}');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      const issues = (err as InputError).issues;
      expect(issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: 'bad.md', line: 2, path: 'scale' }),
          expect.objectContaining({ file: 'bad.md', line: 3, path: 'pass' }),
        ]),
      );
    }
  });
  it('refuses a rubric without front matter or without {{answer}}', () => {
    expect(() => parseRubric('x.md', 'Grade it')).toThrow(/front matter/);
    expect(() => parseRubric('x.md', '---\nscale: [1, 5]\n---\nGrade {{expected}}')).toThrow(/\{\{answer\}\}/);
  });
  it('loads the shipped helpfulness rubric', () => {
    const r = loadRubric('rubrics/helpfulness.md', SUITE_DIR);
    expect(r.scale).toEqual({ min: 1, max: 5, pass: 4 });
  });
  it('normalises raw scores to 0..1', () => {
    expect(normaliseOnScale(1, { min: 1, max: 5 })).toBe(0);
    expect(normaliseOnScale(4, { min: 1, max: 5 })).toBe(0.75);
  });
});

describe('built-in judge prompt identities', () => {
  it('the faithfulness prompt hash is the one the README shows (change both together)', async () => {
    const { CLAIMS_PROMPT_HASH } = await import('../../src/judge/tasks/claims.js');
    expect(CLAIMS_PROMPT_HASH).toBe('e5228b4147249dbb');
  });
});
