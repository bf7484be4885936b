import { describe, expect, it } from 'vitest';
import { Cancel, toAbortSignal } from '../../src/gateway/cancel.js';

describe('Cancel', () => {
  it('runs each listener once, in order, skips removed ones, and keeps the first reason', () => {
    const c = new Cancel();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    c.addEventListener('abort', a);
    c.addEventListener('abort', b);
    c.addEventListener('abort', () => c.removeEventListener('abort', b)); // removal while aborting is harmless
    c.removeEventListener('abort', a);
    c.abort('timeout');
    c.abort('client');
    expect(calls).toEqual(['b']);
    expect(c.aborted).toBe(true);
    expect(c.reason).toBe('timeout');
  });

  it('gives a real AbortSignal that follows it (for SDK-based providers)', () => {
    const c = new Cancel();
    const s = toAbortSignal(c);
    expect(s.aborted).toBe(false);
    c.abort('client');
    expect(s.aborted).toBe(true);
    expect(s.reason).toBe('client');
    const already = new Cancel();
    already.abort('timeout');
    expect(toAbortSignal(already).reason).toBe('timeout');
  });
});
