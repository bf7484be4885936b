import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/providers/classify.js';
import { parseRetryAfter } from '../../src/providers/retry-after.js';
import { ProviderError } from '../../src/providers/types.js';

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': ' 10 ' }, 10_000],
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }, 7000],
    [{ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, 0], // a date in the past: retry now
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after-ms': 'x', 'retry-after': '3' }, 3000],
    [{}, undefined],
  ] as const)('%j → %s ms', (h, ms) => {
    expect(parseRetryAfter(headers(h), now)).toBe(ms);
  });
});

/** Shaped like the SDKs' errors (same Stainless classes in openai and @anthropic-ai/sdk). */
class APIError extends Error {
  constructor(readonly status: number, message: string, readonly headers = new Headers()) { super(message); }
}
class APIConnectionError extends Error {}
class APIConnectionTimeoutError extends APIConnectionError {}

describe('classifyError', () => {
  const ctx = { label: 'openai m' };
  it.each([
    [429, 'rate_limit'], [401, 'auth'], [403, 'auth'], [400, 'bad_request'], [404, 'bad_request'], [422, 'bad_request'],
    [408, 'transient'], [409, 'transient'], [500, 'transient'], [502, 'transient'], [529, 'transient'],
  ] as const)('HTTP %i → %s', (status, kind) => {
    const e = classifyError(new APIError(status, 'x'), ctx);
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
  });

  it('carries retry-after from the error headers', () => {
    expect(classifyError(new APIError(429, 'slow down', new Headers({ 'retry-after': '4' })), ctx).retryAfterMs).toBe(4000);
  });

  it('connection errors → network, SDK timeouts → timeout, mid-stream failures → network naming the cut', () => {
    expect(classifyError(new APIConnectionError('Connection error.', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), ctx))
      .toMatchObject({ kind: 'network', message: expect.stringContaining('ECONNREFUSED') as unknown });
    expect(classifyError(new APIConnectionTimeoutError('Request timed out.'), ctx).kind).toBe('timeout');
    const cut = classifyError(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }), { ...ctx, midStream: true });
    expect(cut.kind).toBe('network');
    expect(cut.message).toBe('openai m: connection lost mid-stream: terminated: other side closed (UND_ERR_SOCKET)');
  });

  it('an abort through our signal: timeout when it was a deadline, aborted otherwise — whatever the SDK threw', () => {
    const deadline = AbortSignal.abort(new Error('timed out after 100 ms'));
    expect(classifyError(new APIError(500, 'x'), { ...ctx, signal: deadline }).kind).toBe('timeout');
    expect(classifyError(new Error('Request was aborted.'), { ...ctx, signal: AbortSignal.abort(new DOMException('t', 'TimeoutError')) }).kind).toBe('timeout');
    expect(classifyError(new Error('Request was aborted.'), { ...ctx, signal: AbortSignal.abort() }).kind).toBe('aborted');
  });

  it('passes ProviderErrors through; anything else unexpected is transient', () => {
    const pe = new ProviderError('auth', 'no');
    expect(classifyError(pe, ctx)).toBe(pe);
    expect(classifyError(new SyntaxError('Unexpected token'), ctx).kind).toBe('transient');
  });
});
