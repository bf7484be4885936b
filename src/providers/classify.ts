import { ProviderError, type ProviderErrorKind } from './types.js';
import { parseRetryAfter } from './retry-after.js';
import { abortError } from './abort.js';

/**
 * Maps what the official `openai` and `@anthropic-ai/sdk` clients throw to ProviderError kinds,
 * so the runner and the gateway can apply their one retry policy. Both SDKs share the same
 * Stainless error shapes (APIError with `status` + `headers`, APIConnectionError,
 * APIConnectionTimeoutError, APIUserAbortError), so this matches by shape and class name instead
 * of importing either SDK (which would load it on the `--help` path).
 */
export interface ClassifyContext {
  /** Provider label used in messages, e.g. "openai gpt-4o-mini". */
  label: string;
  /** The caller's signal: an abort we asked for is 'timeout' or 'aborted', never 'network'. */
  signal?: AbortSignal | undefined;
  /** True once the response stream had started: a failure then is a cut stream. */
  midStream?: boolean;
  now?: number;
}

interface HttpErrorShape {
  status: number;
  headers?: { get(name: string): string | null } | undefined;
  message: string;
}

function isHttpError(err: unknown): err is HttpErrorShape {
  return err instanceof Error && typeof (err as { status?: unknown }).status === 'number';
}

function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 409 || status >= 500) return 'transient'; // 408/409: the SDKs retry these too; 529 = Anthropic overloaded
  return 'bad_request';
}

function describeCause(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${e.message} (${code})` : e.message);
    e = e.cause;
  }
  return [...new Set(parts.filter(Boolean))].join(': ') || String(err);
}

export function classifyError(err: unknown, ctx: ClassifyContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const name = err instanceof Error ? err.constructor.name : '';

  // Our own abort first: whatever the SDK made of it, the caller cancelled or its deadline passed.
  if (ctx.signal?.aborted) {
    return abortError(ctx.label, ctx.signal, err);
  }
  if (name === 'APIConnectionTimeoutError') {
    return new ProviderError('timeout', `${ctx.label}: request timed out`, { cause: err });
  }
  if (name === 'APIUserAbortError') {
    return new ProviderError('aborted', `${ctx.label}: request cancelled`, { cause: err });
  }
  if (isHttpError(err)) {
    const retryAfterMs = err.headers ? parseRetryAfter((h) => err.headers?.get(h), ctx.now) : undefined;
    return new ProviderError(kindForStatus(err.status), `${ctx.label}: HTTP ${err.status}: ${err.message}`, {
      status: err.status, cause: err, ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (name === 'APIConnectionError') {
    return new ProviderError('network', `${ctx.label}: connection failed: ${describeCause(err)}`, { cause: err });
  }
  if (ctx.midStream) {
    // undici reports a reset mid-body as "TypeError: terminated" with the socket error as cause.
    return new ProviderError('network', `${ctx.label}: connection lost mid-stream: ${describeCause(err)}`, { cause: err });
  }
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return new ProviderError(err.name === 'TimeoutError' ? 'timeout' : 'aborted', `${ctx.label}: ${err.message}`, { cause: err });
  }
  if (err instanceof TypeError || (err instanceof Error && typeof (err as { code?: unknown }).code === 'string')) {
    return new ProviderError('network', `${ctx.label}: ${describeCause(err)}`, { cause: err });
  }
  // A malformed answer (bad JSON, unexpected event): the upstream misbehaved; worth one more try.
  return new ProviderError('transient', `${ctx.label}: unexpected failure: ${describeCause(err)}`, { cause: err });
}

/** A stream that ended cleanly but never said it was finished was cut short. */
export function streamEndedEarly(label: string, receivedChars: number): ProviderError {
  return new ProviderError('network', `${label}: connection lost mid-stream: the stream ended before completion (${receivedChars} characters received)`);
}
