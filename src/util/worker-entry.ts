import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How to start a worker thread on a module: `new Worker(filename, { eval })`. */
export interface WorkerEntry {
  filename: string | URL;
  eval: boolean;
}

/**
 * The worker entry `<name>.js` next to `moduleUrl` (the built package); from source only under
 * tsx, whose loader the worker must register itself before importing TypeScript. Undefined
 * otherwise (e.g. under vitest, which runs the sources): the caller then does the work on its
 * own thread.
 */
export function workerEntry(moduleUrl: string, name: string): WorkerEntry | undefined {
  const js = new URL(`./${name}.js`, moduleUrl);
  if (existsSync(fileURLToPath(js))) return { filename: js, eval: false };
  const ts = new URL(`./${name}.ts`, moduleUrl);
  if (!existsSync(fileURLToPath(ts)) || !process.execArgv.some((a) => a.includes('tsx'))) return undefined;
  return { filename: `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); })`, eval: true };
}
