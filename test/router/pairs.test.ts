import { describe, expect, it } from 'vitest';
import { ExitCode, type InputError } from '../../src/errors.js';
import { generatePairs } from '../../src/router/generate.js';
import { formatPairs, parsePairs } from '../../src/router/pairs.js';
import { inputErrorOf } from '../support/input-error.js';

const issuesOf = (text: string): InputError => inputErrorOf(() => parsePairs('pairs.jsonl', text));

describe('training pairs', () => {
  it('round-trips generated pairs through JSONL (CRLF and blank lines tolerated)', () => {
    const pairs = generatePairs(200, 3);
    expect(parsePairs('p.jsonl', formatPairs(pairs))).toEqual(pairs);
    expect(parsePairs('p.jsonl', '{"query":"hi","tier":"fast"}\r\n\r\n{"query":"x","tier":"mid"}\r\n')).toHaveLength(2);
  });

  it('reports every bad line with file, line and key path, exit code 2', () => {
    const text = [
      '{"query": "Where is my card?", "tier": "fast"}',
      '{"query": "Prove it", "tier": "huge"}',
      '{"tier": "mid"}',
      'not json',
      '{"query": "ok", "tier": "fast", "history": [{"role": "user"}]}',
      '{"query": "ok", "tier": "fast", "extra": 1}',
      '{"query": "ok", "tier": "fast", "maxTokens": -5}',
    ].join('\n');
    const err = issuesOf(text);
    expect(err.exitCode).toBe(ExitCode.usage);
    const where = err.issues.map((i) => `${i.line}:${i.path ?? ''}`);
    expect(where).toEqual(['2:tier', '3:query', '4:', '5:history[0].content', '6:extra', '7:maxTokens']);
    expect(err.message).toContain('pairs.jsonl:2 (tier): must be one of fast, mid, powerful');
    expect(err.message).toContain('pairs.jsonl:4:');
    expect(err.message).toContain("pairs.jsonl:6 (extra): unknown key 'extra'"); // the key's own name, not (root)
  });

  it('an empty file is an error, not an empty model', () => {
    expect(issuesOf('\n\n').message).toContain('no pairs found');
  });

  it('caps the listing of a badly wrong file and says how many more', () => {
    const err = issuesOf(Array.from({ length: 80 }, () => '{"query":"x","tier":"nope"}').join('\n'));
    expect(err.issues).toHaveLength(51);
    expect(err.issues[50]!.message).toBe('… and 30 more problems');
  });
});
