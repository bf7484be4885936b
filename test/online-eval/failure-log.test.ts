import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/gateway/logger.js';
import { judgeFailureLog } from '../../src/online-eval/failure-log.js';

describe('judge failure log', () => {
  it('logs the first failure at once, then at most one line a minute with the failures since the last line', () => {
    const clock = { now: 1_000_000 };
    const lines: Array<Record<string, unknown>> = [];
    const logger = createJsonLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>), now: () => clock.now });
    const failed = judgeFailureLog(logger, 'canary', () => clock.now);
    failed(new Error('401 invalid api key'));
    expect(lines).toEqual([{ time: new Date(1_000_000).toISOString(), level: 'warn', msg: 'online evaluation (canary): judge call failed', error: '401 invalid api key', count: 1 }]);
    for (let i = 0; i < 4; i++) {
      clock.now += 10_000;
      failed(new Error('429 rate limited'));
    }
    expect(lines).toHaveLength(1);
    clock.now += 20_000; // 60 s after the first line
    failed('socket hang up');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 'warn', error: 'socket hang up', count: 5 });
  });
});
