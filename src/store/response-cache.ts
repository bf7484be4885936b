import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { CompletionResult } from '../providers/types.js';
import type { Db } from './open.js';

export type CachedResponse = Pick<CompletionResult, 'text' | 'inputTokens' | 'outputTokens' | 'latencyMs' | 'ttftMs'>;

/** Response cache keyed by model + params + prompt, so re-running a suite costs no tokens. */
export class ResponseCache {
  private readonly getStmt: Statement;
  private readonly putStmt: Statement;
  constructor(db: Db) {
    this.getStmt = db.prepare('SELECT text, input_tokens, output_tokens, latency_ms, ttft_ms FROM response_cache WHERE key = ?');
    this.putStmt = db.prepare(`INSERT OR REPLACE INTO response_cache (key, model, text, input_tokens, output_tokens, latency_ms, ttft_ms, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  static key(parts: unknown): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  }

  get(key: string): CachedResponse | undefined {
    const row = this.getStmt.get(key) as { text: string; input_tokens: number; output_tokens: number; latency_ms: number; ttft_ms: number | null } | undefined;
    return row ? { text: row.text, inputTokens: row.input_tokens, outputTokens: row.output_tokens, latencyMs: row.latency_ms, ttftMs: row.ttft_ms } : undefined;
  }

  put(key: string, model: string, r: CachedResponse, now = new Date()): void {
    this.putStmt.run(key, model, r.text, r.inputTokens, r.outputTokens, r.latencyMs, r.ttftMs, now.toISOString());
  }
}
