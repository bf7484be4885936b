/** A judge reply worth keeping: only replies that parsed and validated are cached. */
export interface CachedJudgeReply {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

/** Where judge replies are cached: in memory by default, SQLite (`judge-cache-sqlite.ts`) across runs. */
export interface JudgeCache {
  get(key: string): CachedJudgeReply | undefined;
  set(key: string, model: string, reply: CachedJudgeReply): void;
}

/** Bounded in-memory cache; oldest entries leave first so a 100k-case run cannot grow it without limit. */
export class MemoryJudgeCache implements JudgeCache {
  private readonly entries = new Map<string, CachedJudgeReply>();
  constructor(private readonly maxEntries = 20_000) {}
  get(key: string): CachedJudgeReply | undefined {
    return this.entries.get(key);
  }
  set(key: string, _model: string, reply: CachedJudgeReply): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, reply);
  }
}
