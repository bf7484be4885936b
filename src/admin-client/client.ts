/**
 * A small client for the gateway's admin API, used by `llmops deployments|promote|rollback`
 * (and by the canary commands). Turns transport and HTTP failures into LlmopsErrors with the
 * contract's exit codes: unreachable gateway → 3, missing or rejected token → 2.
 */
import { userInfo } from 'node:os';
import { ExitCode, NotFoundError, RemoteError, UsageError } from '../errors.js';
import type { CanaryAction } from '../canary/admin-handlers.js';
import type { VariantWindowStats } from '../gateway/stats-window.js';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8787';
export const ADMIN_TOKEN_ENV = 'LLMOPS_ADMIN_TOKEN';

export interface AdminVariant {
  name: string;
  upstream: string;
  role: 'baseline' | 'candidate' | 'warm';
  weight: number;
  warmUntil?: string;
}

export interface AdminDeployment {
  name: string;
  kind: 'split';
  status: string;
  updatedAt: string;
  lastReason: string | null;
  variants: AdminVariant[];
}

/** Live per-variant stats as the admin API serves them: the gateway's own window type, so the two cannot drift. */
export type VariantStatsView = VariantWindowStats;

export interface AdminDeploymentDetail extends AdminDeployment {
  fallback: string[];
  stats: Record<string, VariantStatsView>;
  breakers: Record<string, string>;
  canary: unknown;
}

export interface RoutedDeploymentView {
  name: string;
  kind: 'routed';
  tiers: { fast: string; mid: string; powerful: string };
}

export interface AdminEvent {
  id: number;
  time: string;
  deployment: string;
  type: string;
  actor: string;
  reason?: string;
  detail: Record<string, unknown>;
}

/**
 * The gateway's root URL from `--gateway` / LLMOPS_GATEWAY_URL: it must be http(s)://host[:port]
 * (a usage error, exit 2, otherwise). A trailing `/v1`, as in the OpenAI base URL users configure
 * their clients with, is dropped: the admin API sits at the root. Any other path is kept (a
 * gateway behind a reverse proxy under a prefix).
 */
export function gatewayBaseUrl(raw: string): string {
  const text = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    // "127.0.0.1:8787" or "localhost:8787": the scheme is missing.
    const guess = /^[\w.-]+:\d+(\/.*)?$/.test(text) || /^[\w.-]+$/.test(text) ? ` (did you mean http://${text}?)` : '';
    throw new UsageError(`--gateway / LLMOPS_GATEWAY_URL must be an http(s)://host:port URL, got "${raw}"${guess}.`, `e.g. --gateway ${DEFAULT_GATEWAY_URL} (the gateway's root URL; its OpenAI base URL with /v1 works too).`);
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${path}`;
}

/** Who the audit log names for a command run from this terminal. */
export function cliActor(): string {
  return `cli:${process.env.USER || process.env.LOGNAME || process.env.USERNAME || osUser() || 'user'}`;
}

function osUser(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined; // no passwd entry (some containers)
  }
}

export class AdminClient {
  private readonly base: string;
  /** `baseUrl` is validated here, so every admin command (deployments, promote, rollback, canary, ab) treats a bad one alike. */
  constructor(baseUrl: string, private readonly token: string | undefined, private readonly actor = cliActor()) {
    this.base = gatewayBaseUrl(baseUrl);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), 'x-llmops-actor': this.actor, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new RemoteError(`Gateway unreachable at ${this.base} (${cause}).`, { hint: 'Start it with `llmops gateway start`, or point --gateway / LLMOPS_GATEWAY_URL at it.' });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = { error: { message: text.slice(0, 200) } };
    }
    if (res.ok) return json as T;
    const error = (json as { error?: { message?: string; hint?: string } }).error;
    const message = error?.message ?? `HTTP ${res.status}`;
    if (res.status === 401) {
      throw new RemoteError(this.token ? `The gateway rejected the admin token (${ADMIN_TOKEN_ENV}).` : `The gateway requires an admin token and ${ADMIN_TOKEN_ENV} is not set.`, {
        status: 401,
        exitCode: ExitCode.usage,
        hint: `export ${ADMIN_TOKEN_ENV}=<the gateway's admin token> and run again.`,
      });
    }
    if (res.status === 404) {
      // Not an admin route's answer: the URL does not point at the gateway's root.
      if (message.startsWith('no route ')) throw new NotFoundError(`${message} at ${this.base}: is that the llmops gateway's root URL?`, '--gateway / LLMOPS_GATEWAY_URL take http(s)://host:port (the gateway root, with or without /v1).');
      throw new NotFoundError(message, error?.hint);
    }
    if (res.status >= 400 && res.status < 500) throw new UsageError(message, error?.hint);
    throw new RemoteError(`Gateway error ${res.status}: ${message}`, { status: res.status });
  }

  list(): Promise<{ deployments: AdminDeployment[]; routed: RoutedDeploymentView[] }> {
    return this.call('GET', '/admin/deployments');
  }
  show(d: string): Promise<AdminDeploymentDetail | RoutedDeploymentView> {
    return this.call('GET', `/admin/deployments/${encodeURIComponent(d)}`);
  }
  setWeights(d: string, weights: Record<string, number>, reason?: string): Promise<AdminDeployment> {
    return this.call('PUT', `/admin/deployments/${encodeURIComponent(d)}/weights`, { weights, ...(reason ? { reason } : {}) });
  }
  promote(d: string, opts: { variant?: string; reason?: string } = {}): Promise<AdminDeployment> {
    return this.call('POST', `/admin/deployments/${encodeURIComponent(d)}/promote`, opts);
  }
  rollback(d: string, reason: string): Promise<AdminDeployment> {
    return this.call('POST', `/admin/deployments/${encodeURIComponent(d)}/rollback`, { reason });
  }
  /** Canary routes (src/canary/admin-handlers.ts): status is a GET, every other action a POST. */
  canary<T = unknown>(d: string, action: CanaryAction, body: unknown = {}): Promise<T> {
    const path = `/admin/deployments/${encodeURIComponent(d)}/canary${action === 'status' || action === 'start' ? '' : `/${action}`}`;
    return action === 'status' ? this.call('GET', path) : this.call('POST', path, body);
  }
  /** A/B experiment routes (src/experiment/admin-handler.ts). */
  experiment<T = unknown>(d: string, action: 'status' | 'start' | 'stop', body: unknown = {}): Promise<T> {
    const path = `/admin/deployments/${encodeURIComponent(d)}/experiment${action === 'stop' ? '/stop' : ''}`;
    return action === 'status' ? this.call('GET', path) : this.call('POST', path, body);
  }
  experiments<T = unknown>(): Promise<T> {
    return this.call('GET', '/admin/experiments');
  }
  events(opts: { deployment?: string; limit?: number; after?: number } = {}): Promise<{ events: AdminEvent[] }> {
    const q = new URLSearchParams();
    if (opts.deployment) q.set('deployment', opts.deployment);
    if (opts.limit) q.set('limit', String(opts.limit));
    if (opts.after) q.set('after', String(opts.after));
    return this.call('GET', `/admin/events${q.size > 0 ? `?${q}` : ''}`);
  }
}
