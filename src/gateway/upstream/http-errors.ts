/** Classifies one upstream HTTP attempt's failure into the providers' error kinds. */
import { errors } from 'undici';
import { parseRetryAfter } from '../../providers/retry-after.js';
import { ProviderError } from '../../providers/types.js';
import type { CancelSignal } from '../cancel.js';

export function statusError(label: string, status: number, headers: Record<string, string | string[] | undefined>, body: string): ProviderError {
  const get = (n: string) => {
    const v = headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  const retryAfterMs = parseRetryAfter(get);
  const kind = status === 429 ? 'rate_limit' : status >= 500 ? 'transient' : status === 401 || status === 403 ? 'auth' : 'bad_request';
  const detail = body.length > 300 ? `${body.slice(0, 300)}…` : body;
  return new ProviderError(kind, `${label}: upstream answered ${status} ${detail}`, { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

/** Network-level failure (refused, reset, our deadline). `timedOut` tells our own deadline from other aborts. */
export function transportError(label: string, err: unknown, timedOut: boolean): ProviderError {
  if (err instanceof ProviderError) return err;
  if (timedOut) return new ProviderError('timeout', `${label}: no answer within the upstream timeout`, { cause: err });
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'AbortError' || err instanceof errors.RequestAbortedError) return new ProviderError('aborted', `${label}: request aborted`, { cause: err });
  return new ProviderError('network', `${label}: ${e?.code ?? ''} ${e?.message ?? String(err)}`.trim(), { cause: err });
}

/**
 * The whole body of a non-streamed upstream answer: a transport failure while reading it, or a
 * non-2xx status, becomes the classified ProviderError the attempt loop retries on.
 */
export async function readOkText(
  label: string,
  res: { statusCode: number; headers: Record<string, string | string[] | undefined>; body: { text(): Promise<string> } },
  signal: CancelSignal,
): Promise<string> {
  let text: string;
  try {
    text = await res.body.text();
  } catch (err) {
    throw transportError(label, err, signal.aborted && signal.reason === 'timeout');
  }
  if (res.statusCode >= 300) throw statusError(label, res.statusCode, res.headers, text);
  return text;
}

/** Parses an upstream's 2xx JSON body; a body that is not JSON is the upstream's failure (502, retryable), not ours (500). */
export function parseUpstreamJson<T>(label: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw transportError(label, new Error(`unparseable JSON from upstream: ${(err as Error).message}`), false);
  }
}
