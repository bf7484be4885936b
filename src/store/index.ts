export { openDatabase, type Db, type OpenOptions } from './open.js';
export { migrate, type Migration } from './migrate.js';
export { RunStore, newRunId, type NewRun } from './run-store.js';
export { ResponseCache, type CachedResponse } from './response-cache.js';
export type { Outcome, RunStatus, RunRecord, ResultRecord, GateDecisionRecord } from './types.js';
import { openDatabase, type OpenOptions } from './open.js';
import { RunStore } from './run-store.js';

/** Opens the database at `path` and returns the run store over it (`store.db` for other modules). */
export function openStore(path: string, opts: OpenOptions = {}): RunStore {
  return new RunStore(openDatabase(path, opts));
}
