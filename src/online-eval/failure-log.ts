import type { Logger } from '../gateway/logger.js';

/** At most one log line per this long while the judge keeps failing. */
const EVERY_MS = 60_000;

/**
 * A judge that fails (revoked key, quota, outage) fails for every sampled answer: one log line
 * per failure would flood the gateway's log. The first failure is logged at once; later ones at
 * most once a minute, with how many failed since the previous line. The counter
 * `llmops_online_eval_failed_total` counts every one.
 */
export function judgeFailureLog(logger: Logger, source: string, now: () => number = Date.now): (err: unknown) => void {
  let lastAt = -Infinity;
  let unlogged = 0;
  return (err) => {
    unlogged++;
    const t = now();
    if (t - lastAt < EVERY_MS) return;
    logger.log('warn', `online evaluation (${source}): judge call failed`, { error: err instanceof Error ? err.message : String(err), count: unlogged });
    lastAt = t;
    unlogged = 0;
  };
}
