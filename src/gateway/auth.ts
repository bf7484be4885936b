/** Tenant API keys and the admin bearer token, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant-time string equality (hashing first makes the comparison length-independent too). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m?.[1]?.trim();
}

/**
 * Maps an API key to its tenant id. Keys are looked up by their SHA-256, never kept in logs.
 * Access is anonymous only when no tenant is given at all, never because keys are missing.
 */
export class TenantKeys {
  private readonly byDigest = new Map<string, string>();
  readonly anonymous: boolean;
  constructor(keys: ReadonlyArray<{ tenant: string; key: string }>) {
    for (const k of keys) {
      if (k.key === '') throw new Error(`tenant ${k.tenant} has an empty API key`); // tenantKeysFrom refuses these first
      this.byDigest.set(digest(k.key).toString('hex'), k.tenant);
    }
    this.anonymous = keys.length === 0;
  }
  /** The tenant of a key (a hash-map lookup on the key's digest: no early-exit string compare). */
  tenantOf(key: string | undefined): string | undefined {
    if (this.anonymous) return 'anonymous';
    if (!key) return undefined;
    return this.byDigest.get(digest(key).toString('hex'));
  }
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}
