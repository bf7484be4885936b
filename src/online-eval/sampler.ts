/**
 * Deterministic sampling by request id (FNV-1a 32-bit): the same request is always in or out,
 * so a retry or a replica makes the same choice, and no RNG sits on the request path.
 */
export function sampledShare(requestId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++) {
    h ^= requestId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

export function isSampled(requestId: string, share: number): boolean {
  return share >= 1 || (share > 0 && sampledShare(requestId) < share);
}
