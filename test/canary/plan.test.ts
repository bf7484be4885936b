import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatCountdown, formatDuration, parseDuration } from '../../src/canary/duration.js';
import { DEFAULT_PLAN_TEXT, defaultPlan, formatPlan, parsePlan } from '../../src/canary/plan.js';

const H = 3_600_000;

describe('parseDuration', () => {
  it.each([
    ['1s', 1000], ['90s', 90_000], ['10m', 600_000], ['2h', 2 * H], ['1d', 24 * H], ['1.5h', 1.5 * H], ['0.5s', 500],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '2', 'h', '2x', '-1s', '1 h', '1e3s', '2hh'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());
  it('formats exactly and counts down', () => {
    expect(formatDuration(2 * H)).toBe('2h');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatCountdown(3_900_000)).toBe('1h 05m');
    expect(formatCountdown(249_000)).toBe('4m 09s');
    expect(formatCountdown(11_001)).toBe('12s');
    expect(formatCountdown(-5)).toBe('0s');
  });
});

describe('parsePlan', () => {
  it('reads the documented default: 5% 2h, 25% 6h, 50% 24h, 100% kept warm 48h', () => {
    expect(parsePlan('5:2h,25:6h,50:24h,100')).toEqual({
      shadowMs: 0,
      stages: [{ weight: 5, durationMs: 2 * H }, { weight: 25, durationMs: 6 * H }, { weight: 50, durationMs: 24 * H }],
      keepWarmMs: 48 * H,
    });
    expect(defaultPlan()).toEqual(parsePlan(DEFAULT_PLAN_TEXT));
  });

  it('reads seconds-long plans, a shadow stage and a keep-warm override', () => {
    expect(parsePlan('shadow:3s, 10:2s,60:1.5s,100:4s')).toEqual({
      shadowMs: 3000,
      stages: [{ weight: 10, durationMs: 2000 }, { weight: 60, durationMs: 1500 }],
      keepWarmMs: 4000,
    });
    expect(parsePlan('100')).toEqual({ shadowMs: 0, stages: [], keepWarmMs: 48 * H });
    expect(parsePlan('100', { keepWarmMs: 5 }).keepWarmMs).toBe(5);
  });

  it('round-trips through formatPlan', () => {
    expect(formatPlan(parsePlan('5:2h,25:6h,50:24h,100'))).toBe('5:2h,25:6h,50:1d,100:2d');
    for (const t of ['5:2h,25:6h,50:24h,100:2d', 'shadow:30m,1:90s,2.5:1m,100:1s']) {
      const plan = parsePlan(t);
      expect(parsePlan(formatPlan(plan))).toEqual(plan);
    }
  });

  const bad: Array<[string, RegExp]> = [
    ['', /empty step/],
    ['5:2h,25:6h', /must end with 100/],
    ['5:2h,5:1h,100', /weights must increase/],
    ['25:2h,5:1h,100', /weights must increase \(previous was 25\)/],
    ['0:1h,100', /percentage in \(0, 100\]/],
    ['150:1h,100', /percentage/],
    ['abc:1h,100', /percentage/],
    ['5,100', /needs a duration, e\.g\. 5:2h/],
    ['5:2y,100', /'2y' is not a positive duration/],
    ['5:0s,100', /not a positive duration/],
    ['5:1h:3,100', /expected <weight>:<duration>/],
    ['5:1h,shadow:1m,100', /shadow stage can only come first/],
    ['shadow,100', /shadow needs a positive duration/],
    ['5:1h,100,50:1h', /nothing may follow the final 100/],
    ['100:xx', /not a positive duration/],
  ];
  it.each(bad)('rejects %j with a usage error (exit 2)', (text, message) => {
    let err: unknown;
    try { parsePlan(text); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toMatch(message);
    expect((err as UsageError).hint).toMatch(/--stages 5:2h/);
  });

  it('lists every problem at once', () => {
    expect(() => parsePlan('5:2y,0:1h,7')).toThrow(/'2y'[\s\S]*percentage[\s\S]*needs a duration[\s\S]*must end with 100/);
  });
});
