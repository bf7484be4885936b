import { setMaxListeners } from 'node:events';
import { HEARTBEAT_EVERY_MS } from '../store/run-lease.js';
import type { RunStore } from '../store/run-store.js';

export interface LeaseKeeper {
  /** Aborts when `parent` does, or when another process has taken one of the runs over. */
  readonly signal: AbortSignal;
  stop(): void;
}

/**
 * Keeps this process's leases on the runs it executes alive (a heartbeat every few seconds), so
 * other processes, on this host or another sharing the database, see the runs as owned. If a
 * run was taken over anyway (this process stalled past the stale limit and another resumed it),
 * the execution stops: two processes never keep calling the model for the same run.
 */
export function keepLeases(store: RunStore, runIds: readonly string[], parent?: AbortSignal, everyMs = HEARTBEAT_EVERY_MS): LeaseKeeper {
  const ctl = new AbortController();
  // Every in-flight attempt listens on this signal; hundreds at -j 100 are expected.
  setMaxListeners(0, ctl.signal);
  const onParent = () => ctl.abort(parent?.reason);
  if (parent?.aborted) ctl.abort(parent.reason);
  else parent?.addEventListener('abort', onParent, { once: true });

  const beat = () => {
    let lost: string[];
    try {
      lost = store.renewLeases(runIds);
    } catch {
      return; // database busy or closing: the next beat tries again, well within the stale limit
    }
    if (lost.length && !ctl.signal.aborted) ctl.abort(new Error(`another process took over run ${lost.join(', ')}`));
  };
  beat();
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return {
    signal: ctl.signal,
    stop() {
      clearInterval(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
