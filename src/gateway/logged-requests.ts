/**
 * Feedback on a request the in-memory index no longer holds — served before a restart, or
 * pushed out by newer requests — is attributed from the request log instead: its deployment,
 * variant and tenant, and the rating the same tenant gave it last. Read on the gateway's own
 * connection, by primary key, only when the index misses. What the log never had (sampled out
 * by `requestLog.sampleRate`, or still queued when the process was killed) stays unattributed.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/open.js';
import type { PreviousRating, Rating } from './events.js';

export interface LoggedRequest {
  readonly deployment: string;
  readonly variant: string;
  readonly tenant: string;
}

export class LoggedRequests {
  private request: Statement<[string], LoggedRequest> | undefined;
  private rating: Statement<[string, string], { rating: Rating; time: string }> | undefined;

  /** `onError` hears a failed lookup (e.g. a database without the request log tables); the lookup then finds nothing. */
  constructor(private readonly db: Db, private readonly onError: (err: Error) => void) {}

  find(requestId: string): LoggedRequest | undefined {
    try {
      this.request ??= this.db.prepare<[string], LoggedRequest>('SELECT deployment, variant, tenant FROM request_log WHERE request_id = ?');
      return this.request.get(requestId);
    } catch (err) {
      this.onError(err as Error);
      return undefined;
    }
  }

  /** The latest counted (attributed) rating `tenant` gave the request, if the log has one. */
  latestRating(requestId: string, tenant: string): PreviousRating | undefined {
    try {
      this.rating ??= this.db.prepare<[string, string], { rating: Rating; time: string }>(
        'SELECT rating, time FROM request_feedback WHERE request_id = ? AND tenant = ? AND deployment IS NOT NULL ORDER BY id DESC LIMIT 1',
      );
      const row = this.rating.get(requestId, tenant);
      return row && { rating: row.rating, time: Date.parse(row.time) };
    } catch (err) {
      this.onError(err as Error);
      return undefined;
    }
  }
}
