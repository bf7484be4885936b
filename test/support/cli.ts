import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../bin/llmops.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm run build` first) as a user would, with no TTY and CI set. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, CI: '1', NO_COLOR: '1', ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function runCliAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, CI: '1', NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for a CLI child from runCliAsync (not spawnSync: servers in the test process must keep serving). */
export async function exitOf(child: ChildProcess): Promise<CliResult & { pid: number }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr, pid: child.pid! };
}

export interface StartedGateway {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` from its "listening on" line. */
  url: string;
  /** Everything it has written to stderr so far (it keeps collecting). */
  stderr(): string;
}

/**
 * Runs the built CLI's `gateway start` (`args` are the whole command line, e.g. `--db … gateway
 * start --port 0`) and resolves once it listens and `ready(stderr)` holds; rejects with its
 * stderr if it exits first or takes over 20 s.
 */
export function startGatewayCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; ready?: (stderr: string) => boolean }): Promise<StartedGateway> {
  const child = runCliAsync(args, { cwd: opts.cwd, ...(opts.env ? { env: opts.env } : {}) });
  let stderr = '';
  return new Promise<StartedGateway>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`gateway did not start: ${stderr}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m && (opts.ready?.(stderr) ?? true)) {
        clearTimeout(t);
        resolve({ child, url: m[1]!, stderr: () => stderr });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`gateway exited ${code}: ${stderr}`));
    });
  });
}
