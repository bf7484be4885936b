import type { ChatMessage } from '../providers/types.js';

/**
 * One logged gateway response, as the review module sees it. This is the reviewed-item input
 * format: the JSONL export of the request log has one such object per line (snake_case keys,
 * see sources/jsonl.ts), and the gateway's SQLite request log is read into the same shape.
 */
export interface LoggedResponse {
  requestId: string;
  /** When the request arrived (ISO 8601, UTC). */
  time: string;
  deployment: string;
  variant: string;
  tenant?: string | undefined;
  userHash?: string | undefined;
  /** The request's chat messages; null when the log redacted them. */
  messages: ChatMessage[] | null;
  /** The response text; null when the request failed. */
  response: string | null;
  /** Retrieval context given with the request (RAG), when the caller sent one. */
  context?: string | undefined;
  latencyMs?: number | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  costUsd?: number | undefined;
  /** 'ok' for a served response; anything else (error, timeout…) is not reviewable. */
  status: string;
}

/** Which logged responses a sample may draw from. */
export interface SourceFilter {
  /** Inclusive lower bound on `time` (ISO 8601). */
  since?: string | undefined;
  /** Exclusive upper bound on `time` (ISO 8601). */
  until?: string | undefined;
  deployment?: string | undefined;
}

/**
 * Where logged responses come from: one interface, one file per implementation
 * (sources/jsonl.ts for an exported log, sources/gateway-log.ts for the gateway's SQLite log).
 * Sources stream so a week of traffic never has to fit in memory.
 */
export interface ReviewSource {
  /** Shown to the user and stored with the batch (e.g. `jsonl:/path/export.jsonl`). */
  readonly description: string;
  responses(filter: SourceFilter): Iterable<LoggedResponse>;
  close(): void;
}

/** The three questions every reviewer answers, each on a 1–5 scale (5 = best, 5 = safe). */
export const DIMENSIONS = ['accuracy', 'helpfulness', 'safety'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const SCALE_MIN = 1;
export const SCALE_MAX = 5;
/** A grade at or below this counts as "went wrong" on that dimension (tags, safety flags). */
export const PROBLEM_AT_OR_BELOW = 2;

export interface ReviewBatch {
  id: string;
  createdAt: string;
  source: string;
  since: string | null;
  until: string;
  deployment: string | null;
  seed: string;
  requestedSize: number;
  /** Reviewable responses the sample was drawn from, per stratum (`deployment/variant`). */
  population: Record<string, number>;
  itemCount: number;
}

export interface ReviewItem {
  batchId: string;
  /** 1-based order in which reviewers see the items. */
  position: number;
  response: LoggedResponse & { messages: ChatMessage[]; response: string };
}

export interface Grade {
  batchId: string;
  requestId: string;
  reviewer: string;
  /** null when the reviewer skipped the item. */
  scores: Record<Dimension, number> | null;
  correctedAnswer: string | null;
  note: string | null;
  gradedAt: string;
}
