/**
 * Parses a server's requested wait before retrying, from `retry-after-ms` (OpenAI and Anthropic
 * send it, in ms) or `Retry-After` (RFC 9110: delay in seconds, or an HTTP date). Returns ms, or
 * undefined when absent or unparseable. `now` is injected so the HTTP-date form is testable.
 */
export function parseRetryAfter(get: (name: string) => string | null | undefined, now: number = Date.now()): number | undefined {
  const ms = get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const ra = get('retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
  const at = Date.parse(ra);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
