/** OpenAI-format error bodies, and how an upstream failure maps to the status the client sees. */
import { ProviderError } from '../providers/types.js';
import { NoUpstreamAvailableError } from './attempts.js';

export interface ClientError {
  status: number;
  type: string;
  code: string | null;
  message: string;
  /** The request field at fault, OpenAI style (`temperature`, `messages[0].role`). */
  param?: string;
  retryAfterSeconds?: number;
}

export const errorBody = (e: Pick<ClientError, 'message' | 'type' | 'code' | 'param'>): string =>
  JSON.stringify({ error: { message: e.message, type: e.type, param: e.param ?? null, code: e.code } });

/** Never leaks upstream credentials or internals beyond the classified kind and a short reason. */
export function clientErrorFor(err: unknown): ClientError {
  if (err instanceof NoUpstreamAvailableError) return { status: 503, type: 'server_error', code: 'upstream_unavailable', message: 'No upstream is available for this deployment right now (circuit open); try again shortly.', retryAfterSeconds: 1 };
  if (!(err instanceof ProviderError)) return { status: 500, type: 'server_error', code: 'internal_error', message: 'Internal gateway error.' };
  switch (err.kind) {
    case 'rate_limit':
      return { status: 429, type: 'rate_limit_exceeded', code: 'upstream_rate_limited', message: 'The upstream model is rate limited; try again later.', ...(err.retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.max(1, Math.ceil(err.retryAfterMs / 1000)) }) };
    case 'timeout':
      return { status: 504, type: 'server_error', code: 'upstream_timeout', message: 'The upstream model did not answer in time.' };
    case 'bad_request':
    case 'not_found':
      return { status: err.status && err.status >= 400 && err.status < 500 ? err.status : 400, type: 'invalid_request_error', code: 'upstream_rejected_request', message: err.message };
    case 'auth':
      return { status: 502, type: 'server_error', code: 'upstream_auth_failed', message: 'The gateway could not authenticate with the upstream model.' };
    case 'aborted':
      return { status: 499, type: 'server_error', code: 'client_closed_request', message: 'Client closed the request.' };
    default:
      return { status: 502, type: 'server_error', code: 'upstream_error', message: 'The upstream model failed; try again.' };
  }
}
