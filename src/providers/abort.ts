import { ProviderError } from './types.js';

/** Was this abort a deadline? Deadlines abort with a TimeoutError or a "timed out" reason. */
export function abortWasTimeout(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  if (reason instanceof ProviderError) return reason.kind === 'timeout';
  if (reason instanceof Error) return reason.name === 'TimeoutError' || /timed? ?out/i.test(reason.message);
  return false;
}

/** The ProviderError for an attempt stopped by the caller's signal: 'timeout' for a deadline, else 'aborted'. */
export function abortError(label: string, signal: AbortSignal, cause?: unknown): ProviderError {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : String(reason);
  return abortWasTimeout(signal)
    ? new ProviderError('timeout', `${label}: no answer before the deadline (${why})`, { cause: cause ?? reason })
    : new ProviderError('aborted', `${label}: request cancelled`, { cause: cause ?? reason });
}
