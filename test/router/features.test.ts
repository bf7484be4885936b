import { describe, expect, it } from 'vitest';
import { extractFeatures, FEATURE_NAMES, fromQuery, type FeatureName } from '../../src/router/features.js';
import type { RouteRequest } from '../../src/router/types.js';

const feats = (req: RouteRequest): Record<FeatureName, number> =>
  Object.fromEntries(Array.from(extractFeatures(req), (v, i) => [FEATURE_NAMES[i], v])) as Record<FeatureName, number>;
const ln1p = Math.log1p;

describe('extractFeatures', () => {
  it('measures the last user message: length, words, sentences, questions (counts as log1p)', () => {
    const f = feats(fromQuery('Where is my card? It was sent last week.'));
    expect(f.query_chars).toBeCloseTo(ln1p(40), 12);
    expect(f.query_words).toBeCloseTo(ln1p(9), 12);
    expect(f.sentences).toBeCloseTo(ln1p(2), 12);
    expect(f.questions).toBeCloseTo(ln1p(1), 12);
    // "my" is 1 first-person word out of 9: log1p(1) / log1p(9).
    expect(f.first_person).toBeCloseTo(ln1p(1) / ln1p(9), 12);
  });

  it('counts numbers, math cues and code markers', () => {
    const math = feats(fromQuery('Tom has 12 apples and buys 3,400 more at $2.50 each. How many in total?'));
    expect(math.numbers).toBeCloseTo(ln1p(3), 12); // 12, 3,400, $2.50
    expect(math.math_cues).toBeCloseTo(ln1p(3), 12); // each, how many, total
    const code = feats(fromQuery('Fix this:\n```\nfunction f() {\n  return 1;\n}\n```'));
    expect(code.code_markers).toBeGreaterThanOrEqual(ln1p(5));
    expect(feats(fromQuery('What is the capital of France?')).code_markers).toBe(0);
  });

  it('counts capitalised entities in mid-sentence, not sentence starts', () => {
    const f = feats(fromQuery('Compare Paris and Berlin with London. Then stop.'));
    expect(f.entities).toBeCloseTo(ln1p(3), 12);
  });

  it('reads conversation depth and history from earlier turns, ignoring the system prompt', () => {
    const req: RouteRequest = {
      messages: [
        { role: 'system', content: 'x'.repeat(5000) },
        { role: 'user', content: 'abc' },
        { role: 'assistant', content: 'defgh' },
        { role: 'user', content: 'last question' },
      ],
    };
    const f = feats(req);
    expect(f.conversation_depth).toBeCloseTo(ln1p(1), 12);
    expect(f.history_chars).toBeCloseTo(ln1p(8), 12);
    expect(f.query_chars).toBeCloseTo(ln1p('last question'.length), 12);
  });

  it('measures supplied context (RAG) and tool messages, output budget and JSON mode', () => {
    const f = feats({ messages: [{ role: 'tool', content: 'y'.repeat(100) }, { role: 'user', content: 'q' }], context: 'z'.repeat(900), maxTokens: 2047, wantsJson: true });
    expect(f.context_chars).toBeCloseTo(ln1p(1000), 12);
    expect(f.max_tokens).toBeCloseTo(ln1p(2047), 12);
    expect(f.wants_json).toBe(1);
    expect(feats(fromQuery('q')).max_tokens).toBe(0);
  });

  it('intent cues: lookup, reasoning, long output', () => {
    expect(feats(fromQuery('How do I reset my password?')).lookup_cues).toBeGreaterThan(0);
    const r = feats(fromQuery('Compare the two designs and analyze the trade-offs.'));
    expect(r.reasoning_cues).toBeCloseTo(ln1p(3), 12);
    // "Write a", "detailed", "report", "step by step"
    expect(feats(fromQuery('Write a detailed report, step by step.')).long_output_cues).toBeCloseTo(ln1p(4), 12);
  });

  it('stakes: words in the text, plus 2 for an explicit stakes tag', () => {
    expect(feats(fromQuery('Review this contract clause')).stakes).toBeCloseTo(ln1p(2), 12);
    expect(feats(fromQuery('hello', { tags: ['stakes:high'] })).stakes).toBe(2);
    expect(feats(fromQuery('hello', { tags: ['marketing'] })).stakes).toBe(0);
  });

  it('counts list items', () => {
    expect(feats(fromQuery('Answer:\n1. first\n2. second\n- third')).list_items).toBeCloseTo(ln1p(3), 12);
  });

  it('handles an empty conversation and empty message without NaN', () => {
    for (const req of [{ messages: [] }, fromQuery(''), fromQuery('   ')]) {
      const v = extractFeatures(req);
      expect(v).toHaveLength(FEATURE_NAMES.length);
      expect(Array.from(v).every(Number.isFinite)).toBe(true);
    }
  });

  it('writes into a reused buffer without leaking the previous request', () => {
    const buf = new Float64Array(FEATURE_NAMES.length);
    extractFeatures(fromQuery('Compute 3 + 4 and 5 * 6 with ```code```', { wantsJson: true, maxTokens: 10 }), buf);
    const again = Array.from(extractFeatures(fromQuery('hi'), buf));
    expect(again).toEqual(Array.from(extractFeatures(fromQuery('hi'))));
  });
});
