/** Starts a gateway on 127.0.0.1:0 over real local upstream servers, for the gateway tests. */
import { afterEach } from 'vitest';
import { openDatabase, type Db } from '../../src/store/open.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { startGateway, type GatewayServerOptions, type RunningGateway } from '../../src/gateway/server.js';
import { gatewayMigrations } from '../../src/gateway/state-store.js';

export function openGatewayDb(path: string): Db {
  return openDatabase(path, { migrations: [{ component: 'gateway', steps: gatewayMigrations }] });
}

export async function startTestGateway(config: unknown, extra: Partial<GatewayServerOptions> = {}): Promise<RunningGateway> {
  return startGateway({ config: parseGatewayConfig(config), host: '127.0.0.1', port: 0, env: {}, ...extra });
}

/** A two-variant deployment over the given upstream URLs (openai type). */
export function splitConfig(upstreams: Record<string, string>, variants: Record<string, { upstream: string; weight: number }>, more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    upstreams: Object.fromEntries(Object.entries(upstreams).map(([n, url]) => [n, { type: 'openai', baseURL: url, model: `${n}-model`, timeoutMs: 2000, price: { input: 1, output: 2 } }])),
    deployments: { chat: { variants, ...((more.deployment as object | undefined) ?? {}) } },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    ...Object.fromEntries(Object.entries(more).filter(([k]) => k !== 'deployment')),
  };
}

/**
 * What a test of the calling file starts, closed after it in reverse order: the gateway first
 * (it drains), then what it was given (cleanups, upstream servers). Each call returns its argument.
 */
export function closeAfterEach() {
  const closers: Array<() => unknown> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return {
    gateway: (g: RunningGateway): RunningGateway => { closers.push(() => g.shutdown(1000)); return g; },
    server: <S extends { close(): Promise<void> }>(s: S): S => { closers.push(() => s.close()); return s; },
    later: (fn: () => void): void => { closers.push(fn); },
  };
}
