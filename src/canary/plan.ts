import { UsageError } from '../errors.js';
import { formatDuration, parseDuration } from './duration.js';

/** One traffic step: the candidate gets `weight` percent of live traffic for at least `durationMs`. */
export interface CanaryStage {
  weight: number;
  durationMs: number;
}

/**
 * A staged rollout. `shadowMs` > 0 adds a shadow stage first (the candidate answers a mirrored
 * copy of live traffic, never returned to users). The final 100% step keeps the old model warm
 * for `keepWarmMs` so a rollback stays instant.
 */
export interface CanaryPlan {
  shadowMs: number;
  stages: CanaryStage[];
  keepWarmMs: number;
}

export const DEFAULT_PLAN_TEXT = '5:2h,25:6h,50:24h,100:48h';
export const DEFAULT_KEEP_WARM_MS = 48 * 3_600_000;

/**
 * Parses `[shadow:<dur>,]<weight>:<dur>,…,100[:<keep-warm>]`, e.g. `5:2h,25:6h,50:24h,100`.
 * Durations are `<number><s|m|h|d>`. Weights are percentages strictly increasing and below
 * 100, then a final `100`. Every problem is listed in one UsageError (exit 2).
 */
export function parsePlan(text: string, defaults: { keepWarmMs?: number } = {}): CanaryPlan {
  const problems: string[] = [];
  const items = text.split(',').map((s) => s.trim());
  let shadowMs = 0;
  const stages: CanaryStage[] = [];
  let keepWarmMs = defaults.keepWarmMs ?? DEFAULT_KEEP_WARM_MS;
  let sawFinal = false;
  items.forEach((item, i) => {
    const where = `step ${i + 1} '${item}'`;
    if (item === '') return problems.push(`${where}: empty step`);
    const [head, dur, extra] = item.split(':');
    if (extra !== undefined) return problems.push(`${where}: expected <weight>:<duration>`);
    if (head === 'shadow') {
      if (i !== 0) return problems.push(`${where}: the shadow stage can only come first`);
      const ms = dur === undefined ? undefined : parseDuration(dur);
      if (ms === undefined || ms <= 0) return problems.push(`${where}: shadow needs a positive duration like shadow:30m`);
      shadowMs = ms;
      return;
    }
    if (sawFinal) return problems.push(`${where}: nothing may follow the final 100`);
    const weight = /^\d+(\.\d+)?$/.test(head ?? '') ? Number(head) : NaN;
    if (!(weight > 0 && weight <= 100)) return problems.push(`${where}: weight must be a percentage in (0, 100]`);
    const ms = dur === undefined ? undefined : parseDuration(dur);
    if (dur !== undefined && (ms === undefined || ms <= 0)) {
      return problems.push(`${where}: '${dur}' is not a positive duration (use s, m, h or d, e.g. 90s, 2h)`);
    }
    if (weight === 100) {
      sawFinal = true;
      if (ms !== undefined) keepWarmMs = ms;
      return;
    }
    if (ms === undefined) return problems.push(`${where}: a stage below 100 needs a duration, e.g. ${weight}:2h`);
    const prev = stages.at(-1);
    if (prev && weight <= prev.weight) return problems.push(`${where}: weights must increase (previous was ${prev.weight})`);
    stages.push({ weight, durationMs: ms });
  });
  if (!sawFinal) problems.push(`the plan must end with 100 (e.g. ${DEFAULT_PLAN_TEXT})`);
  if (problems.length > 0) {
    throw new UsageError(`Invalid canary plan '${text}':\n  ${problems.join('\n  ')}`, `Example: --stages ${DEFAULT_PLAN_TEXT} (durations in s, m, h or d).`);
  }
  return { shadowMs, stages, keepWarmMs };
}

export function defaultPlan(): CanaryPlan {
  return parsePlan(DEFAULT_PLAN_TEXT);
}

/** The plan in the syntax `parsePlan` reads (round-trips). */
export function formatPlan(plan: CanaryPlan): string {
  const parts = plan.shadowMs > 0 ? [`shadow:${formatDuration(plan.shadowMs)}`] : [];
  for (const s of plan.stages) parts.push(`${s.weight}:${formatDuration(s.durationMs)}`);
  parts.push(`100:${formatDuration(plan.keepWarmMs)}`);
  return parts.join(',');
}
