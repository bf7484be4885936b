/**
 * Cache of complete responses to deterministic requests (temperature 0), per deployment, with a
 * TTL and a size cap (oldest evicted first; Map keeps insertion order). Clock injected.
 */
export interface CachedResponse {
  variant: string;
  /** The OpenAI chat.completion body as sent to the client. */
  body: string;
  inputTokens: number;
  outputTokens: number;
  text: string;
}

export class ResponseCache {
  private readonly entries = new Map<string, { value: CachedResponse; expiresAt: number }>();
  constructor(private readonly maxEntries = 10_000) {}

  get(key: string, now: number): CachedResponse | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: CachedResponse, ttlMs: number, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
