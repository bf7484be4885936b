import { ExitCode, NotFoundError, RemoteError, UsageError } from '../errors.js';
import type { CanaryAction } from './admin-handlers.js';
import type { CanaryStatusView } from './status-view.js';

/** Talks to the gateway's canary admin routes (bearer token from LLMOPS_ADMIN_TOKEN). */
export class CanaryClient {
  constructor(private readonly baseUrl: string, private readonly token: string | undefined) {}

  async call(action: CanaryAction, deployment: string, body?: unknown): Promise<CanaryStatusView> {
    const path = `/admin/deployments/${encodeURIComponent(deployment)}/canary${action === 'status' || action === 'start' ? '' : `/${action}`}`;
    const url = new URL(path, this.baseUrl);
    let res: Response;
    try {
      res = await fetch(url, {
        method: action === 'status' ? 'GET' : 'POST',
        headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(action === 'status' ? {} : { 'content-type': 'application/json' }) },
        ...(action === 'status' ? {} : { body: JSON.stringify(body ?? {}) }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new RemoteError(`cannot reach the gateway at ${this.baseUrl}: ${(err as Error).message}`, { hint: 'Start it (llmops gateway start) or pass --gateway <url> (env LLMOPS_GATEWAY_URL).' });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new RemoteError(`the gateway answered ${res.status} with a non-JSON body`, { status: res.status });
    }
    if (res.ok) return json as CanaryStatusView;
    const { error, hint } = json as { error?: string; hint?: string };
    const message = error ?? `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403) throw new RemoteError(`the gateway refused the admin token: ${message}`, { status: res.status, exitCode: ExitCode.usage, hint: 'Set LLMOPS_ADMIN_TOKEN to the gateway admin token.' });
    if (res.status === 404) throw new NotFoundError(message, hint);
    if (res.status >= 400 && res.status < 500) throw new UsageError(message, hint);
    throw new RemoteError(`gateway error ${res.status}: ${message}`, { status: res.status });
  }
}
