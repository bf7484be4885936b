import { describe, expect, it } from 'vitest';
import { UpgradeChecksSchema } from '../../src/router/policy.js';
import { checkFastAnswer, isRefusal, sampledForJudge } from '../../src/router/upgrade.js';

const defaults = UpgradeChecksSchema.parse({});
const all = UpgradeChecksSchema.parse({ checks: ['empty', 'refusal', 'invalid_json', 'judge'], judgeThreshold: 0.6 });

describe('cheap checks on a fast-tier answer', () => {
  it('passes a normal answer', () => {
    expect(checkFastAnswer({ text: 'Your card ships in 3 days.' }, all)).toBeNull();
  });
  it('empty or whitespace-only', () => {
    expect(checkFastAnswer({ text: '' }, defaults)).toBe('empty');
    expect(checkFastAnswer({ text: ' \n\t ' }, defaults)).toBe('empty');
  });
  it('refusals at the start of the answer', () => {
    for (const t of ["I'm sorry, but I can't help with that.", 'I cannot assist with this request.', 'Sorry, I can’t do that.', 'As an AI language model, I cannot browse.', "I'm not able to provide that."]) {
      expect(isRefusal(t), t).toBe(true);
      expect(checkFastAnswer({ text: t }, defaults)).toBe('refusal');
    }
  });
  it('a helpful answer mentioning "can\'t" later is not a refusal', () => {
    expect(isRefusal('Reset it in Settings. If you can\'t find it, I cannot stress enough: call us.')).toBe(false);
  });
  it('invalid JSON only matters when JSON was asked for', () => {
    expect(checkFastAnswer({ text: '{"a": 1', wantsJson: true }, defaults)).toBe('invalid_json');
    expect(checkFastAnswer({ text: '```json\n{"a":1}\n```', wantsJson: true }, defaults)).toBe('invalid_json');
    expect(checkFastAnswer({ text: '{"a": 1}', wantsJson: true }, defaults)).toBeNull();
    expect(checkFastAnswer({ text: 'plain text', wantsJson: false }, defaults)).toBeNull();
  });
  it('a sampled judge score under the threshold fails; absent score never does', () => {
    expect(checkFastAnswer({ text: 'ok', judgeScore: 0.59 }, all)).toBe('low_judge_score');
    expect(checkFastAnswer({ text: 'ok', judgeScore: 0.6 }, all)).toBeNull();
    expect(checkFastAnswer({ text: 'ok' }, all)).toBeNull();
    // The judge check is off by default even when a score is given.
    expect(checkFastAnswer({ text: 'ok', judgeScore: 0 }, defaults)).toBeNull();
  });
  it('checks run in order empty → refusal → invalid_json → judge', () => {
    expect(checkFastAnswer({ text: '', wantsJson: true, judgeScore: 0 }, all)).toBe('empty');
    expect(checkFastAnswer({ text: "I can't help", wantsJson: true, judgeScore: 0 }, all)).toBe('refusal');
    expect(checkFastAnswer({ text: 'nope', wantsJson: true, judgeScore: 0 }, all)).toBe('invalid_json');
  });
  it('disabled checks and a disabled upgrade path pass everything', () => {
    expect(checkFastAnswer({ text: '' }, { ...defaults, enabled: false })).toBeNull();
    expect(checkFastAnswer({ text: '' }, { ...defaults, checks: ['refusal'] })).toBeNull();
  });
});

describe('judge sampling', () => {
  it('is a stable function of the request id', () => {
    for (const id of ['a', 'req-1', 'req-2']) expect(sampledForJudge(id, 0.5)).toBe(sampledForJudge(id, 0.5));
  });
  it('rate 0 never samples, rate 1 always does', () => {
    expect(sampledForJudge('x', 0)).toBe(false);
    expect(sampledForJudge('x', 1)).toBe(true);
  });
  it('samples close to the rate over many ids (10,000 ids at 10%: within 4 SE, SE = sqrt(.1*.9/10000) = 0.003)', () => {
    let n = 0;
    for (let i = 0; i < 10_000; i++) if (sampledForJudge(`req-${i}`, 0.1)) n++;
    expect(Math.abs(n / 10_000 - 0.1)).toBeLessThan(0.012);
  });
});
