import type { RunRecord } from '../store/types.js';

const ago = (iso: string, nowMs: number) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '?' : `${Math.max(0, Math.round((nowMs - t) / 1000))} s`;
};

/**
 * One line on who is executing a run, or why it stopped and how to finish it; undefined for a
 * completed run. `runs list` prints it for each run that needs attention, `runs show` for its run.
 */
export function runStateLine(run: RunRecord, nowMs = Date.now()): string | undefined {
  const resume = `resume it with \`llmops eval --resume ${run.id}\``;
  switch (run.status) {
    case 'running':
      return run.owner
        ? `run ${run.id} is running in pid ${run.owner.pid} on ${run.owner.host} since ${run.owner.since} (last heartbeat ${ago(run.owner.heartbeatAt, nowMs)} ago)`
        : `run ${run.id} is running`;
    case 'interrupted':
      return `run ${run.id} was interrupted${run.owner?.gone ? `: ${run.owner.gone}` : ''}; ${resume}`;
    case 'incomplete':
      return `run ${run.id} is incomplete; ${resume} (missing and errored cases run again)`;
    default:
      return undefined;
  }
}
