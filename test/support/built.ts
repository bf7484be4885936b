import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A module of the built package (dist/, no declarations: the caller types it as its source), for
 * what must run as the CLI runs it — worker threads start only from built .js files. `npm test`
 * and `npm run bench` build first.
 */
export async function importBuilt<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(import.meta.dirname, '../../dist', path)).href)) as T;
}
