import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/util/uuid7.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The 48-bit millisecond timestamp of RFC 9562's layout, read back independently of the generator. */
const timeOf = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('uuidv7 (request ids)', () => {
  it('lays out version 7, the RFC 9562 variant and the given millisecond', () => {
    const t = Date.UTC(2026, 10, 23, 17, 30, 0, 123);
    const id = uuidv7(t);
    expect(id).toMatch(V7);
    expect(timeOf(id)).toBe(t);
    // RFC 9562 appendix A.6: 2022-02-22 19:22:22.000 UTC is 017F22E2-79B0-7CC3-98C4-DC0C0C07398F.
    expect(uuidv7(Date.UTC(2022, 1, 22, 19, 22, 22))).toMatch(/^017f22e2-79b0-7[0-9a-f]{3}-[89ab]/);
  });

  it('sorts by time across milliseconds, so request-log inserts land at the B-tree edge', () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 3)));
    expect([...ids].sort()).toEqual(ids.slice().sort((a, b) => timeOf(a) - timeOf(b) || (a < b ? -1 : 1)));
    for (let i = 3; i < ids.length; i += 3) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('stays unique within one millisecond, across refills of the random pool', () => {
    const ids = new Set(Array.from({ length: 100_000 }, () => uuidv7(1_700_000_000_000)));
    expect(ids.size).toBe(100_000);
    for (const id of [...ids].slice(0, 1_000)) expect(id).toMatch(V7);
  });

  it('spreads its random bits evenly (the split buckets and log sampling hash them)', () => {
    const counts = new Array<number>(16).fill(0);
    const n = 32_000;
    for (let i = 0; i < n; i++) counts[Number.parseInt(uuidv7(0).slice(-1), 16)]!++;
    for (const c of counts) expect(Math.abs(c - n / 16) / (n / 16)).toBeLessThan(0.1);
  });

  it('clamps times outside the 48-bit field instead of writing a malformed id', () => {
    expect(uuidv7(-5)).toMatch(/^00000000-0000-7/);
    expect(uuidv7(2 ** 50)).toMatch(/^ffffffff-ffff-7/);
    expect(uuidv7(1.9)).toMatch(/^00000000-0001-7/);
  });
});
