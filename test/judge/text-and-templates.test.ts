import { describe, expect, it } from 'vitest';
import { contentTokens, overlapF1, splitSentences, tokenize, tokensMissingFrom } from '../../src/judge/text.js';
import { renderTemplate, templateVariables } from '../../src/judge/template.js';
import { extractJsonObject, parseJudgeReply } from '../../src/judge/structured.js';
import { z } from 'zod';

describe('text heuristics', () => {
  it('tokenizes words and numbers, folding thousands separators', () => {
    expect(tokenize("It costs 1,200 pounds, or 3.5% of Bob's limit.")).toEqual(['it', 'costs', '1200', 'pounds', 'or', '3.5', 'of', 'bob', 'limit']);
    expect(contentTokens('The card is in the app')).toEqual(['card', 'app']);
  });
  it('overlap F1 counts shared content tokens (SQuAD style)', () => {
    // a = {card, arrives, 5, days}, b = {card, arrives, 7, days}: common 3, P = R = 3/4 → F1 0.75
    expect(overlapF1('The card arrives in 5 days', 'The card arrives in 7 days')).toBeCloseTo(0.75, 12);
    expect(overlapF1('', '')).toBe(1);
    expect(overlapF1('card', '')).toBe(0);
  });
  it('splits sentences but not decimals or abbreviations', () => {
    expect(splitSentences('A markup of 1.5 percent applies. Cards, e.g. virtual ones, work too!\nThanks')).toEqual([
      'A markup of 1.5 percent applies.',
      'Cards, e.g. virtual ones, work too!',
      'Thanks',
    ]);
  });
  it('finds content tokens of a claim missing from the source', () => {
    expect(tokensMissingFrom('Delivery takes 11 days', 'Delivery takes 9 days.')).toEqual(['11']);
    expect(tokensMissingFrom('Delivery takes 9 days', 'Delivery takes 9 days.')).toEqual([]);
  });
});

describe('templates', () => {
  it('renders dotted and bare variables and reports missing ones', () => {
    expect(templateVariables('{{a}} {{ vars.b }} {{a}}')).toEqual(['a', 'vars.b']);
    const r = renderTemplate('Q: {{question}} / {{vars.question}} / n={{n}} / {{nope}}', { question: 'why?', vars: { question: 'why?' }, n: 3 });
    expect(r.text).toBe('Q: why? / why? / n=3 / {{nope}}');
    expect(r.missing).toEqual(['nope']);
  });
});

describe('judge reply parsing', () => {
  const schema = z.object({ reason: z.string(), score: z.number().int().min(1).max(5) });
  it('accepts a bare object, a fenced object and an object inside prose', () => {
    expect(parseJudgeReply('{"reason":"ok","score":4}', schema)).toEqual({ ok: true, value: { reason: 'ok', score: 4 } });
    expect(parseJudgeReply('```json\n{"reason":"ok","score":5}\n```', schema)).toMatchObject({ ok: true });
    expect(extractJsonObject('Here you go: {"a": {"b": 1}} done')).toBe('{"a": {"b": 1}}');
  });
  it('explains why a reply is unusable', () => {
    expect(parseJudgeReply('', schema)).toMatchObject({ ok: false, problem: expect.stringContaining('empty') });
    expect(parseJudgeReply("I can't help with that.", schema)).toMatchObject({ ok: false, problem: expect.stringContaining('no JSON object') });
    expect(parseJudgeReply('{"reason": "x", "score": 4', schema)).toMatchObject({ ok: false, problem: expect.stringContaining('no JSON object') });
    expect(parseJudgeReply('{"reason": "x", score: 4}', schema)).toMatchObject({ ok: false, problem: expect.stringContaining('not valid JSON') });
    expect(parseJudgeReply('{"reason": "x", "score": 9}', schema)).toMatchObject({ ok: false, problem: expect.stringContaining('score') });
  });
});
