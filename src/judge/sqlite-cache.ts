import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/index.js';
import type { CachedJudgeReply, JudgeCache } from './cache.js';
import { ensureJudgeSchema } from './calibration/store.js';

/**
 * Judge replies cached in the llmops database, so re-running a judged suite does not pay for
 * the same verdicts twice. Keys cover the judge model and the exact messages (rubric included),
 * so a changed rubric or judge never reuses an old verdict.
 */
export class SqliteJudgeCache implements JudgeCache {
  private readonly getStmt: Statement;
  private readonly putStmt: Statement;
  constructor(db: Db, private readonly now: () => Date = () => new Date()) {
    ensureJudgeSchema(db);
    this.getStmt = db.prepare('SELECT text, input_tokens, output_tokens FROM judge_cache WHERE key = ?');
    this.putStmt = db.prepare('INSERT OR REPLACE INTO judge_cache (key, judge_model, text, input_tokens, output_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  }
  get(key: string): CachedJudgeReply | undefined {
    const row = this.getStmt.get(key) as { text: string; input_tokens: number; output_tokens: number } | undefined;
    return row ? { text: row.text, inputTokens: row.input_tokens, outputTokens: row.output_tokens } : undefined;
  }
  set(key: string, model: string, reply: CachedJudgeReply): void {
    this.putStmt.run(key, model, reply.text, reply.inputTokens, reply.outputTokens, this.now().toISOString());
  }
}
