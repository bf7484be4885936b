import type { Db } from '../../store/index.js';
import { InputError } from '../../errors.js';
import type { ChatMessage } from '../../providers/types.js';
import type { LoggedResponse, ReviewSource, SourceFilter } from '../types.js';
import { inWindow, toIsoTime } from './time.js';
import { DISCARDED_STATUS, isDiscardedUpgradeAttempt } from './upgrade-attempt.js';

/** Table names the gateway's request log may use, most likely first. */
const TABLES = ['request_log', 'gateway_requests', 'requests'];

/**
 * Column names accepted for each field. The gateway owns its schema and may name columns its
 * own way; we read whichever of these exists, so the two modules agree through the data.
 */
const COLUMNS = {
  requestId: ['request_id', 'id'],
  time: ['time', 'ts', 'created_at', 'started_at', 'received_at'],
  deployment: ['deployment'],
  variant: ['variant'],
  tenant: ['tenant', 'tenant_id'],
  userHash: ['user_hash'],
  messages: ['request_messages', 'messages', 'request_json'],
  response: ['response_text', 'response', 'output'],
  context: ['context'],
  latencyMs: ['latency_ms', 'duration_ms'],
  inputTokens: ['input_tokens', 'prompt_tokens'],
  outputTokens: ['output_tokens', 'completion_tokens'],
  costUsd: ['cost_usd', 'cost'],
  // The gateway's own ok/error outcome is preferred over the HTTP status.
  status: ['outcome', 'status'],
  // Routing tier (routed deployments): tells a discarded fast attempt (`<id>.fast`) apart.
  tier: ['tier'],
} as const;
type Field = keyof typeof COLUMNS;
const REQUIRED: Field[] = ['requestId', 'time', 'deployment', 'response'];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);

/** The logged request as chat messages: a JSON array of messages, or an OpenAI request body with `messages`. */
function parseMessages(raw: unknown): ChatMessage[] | null {
  if (typeof raw !== 'string' || raw === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  const list = Array.isArray(v) ? v : v && typeof v === 'object' && Array.isArray((v as { messages?: unknown }).messages) ? (v as { messages: unknown[] }).messages : null;
  if (!list) return null;
  const out: ChatMessage[] = [];
  for (const m of list) {
    if (!m || typeof m !== 'object') return null;
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (role !== 'system' && role !== 'user' && role !== 'assistant') continue; // tool turns are not shown to reviewers
    // OpenAI content parts: keep the text parts.
    const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('') : null;
    if (text === null) return null;
    out.push({ role, content: text });
  }
  return out;
}

/** An `ok`/2xx status becomes 'ok'; anything else is kept as text (not reviewable). */
function normaliseStatus(v: unknown): string {
  if (v === undefined || v === null) return 'ok';
  if (typeof v === 'number') return v >= 200 && v < 300 ? 'ok' : String(v);
  const s = String(v);
  return /^(ok|success|2\d\d)$/i.test(s) ? 'ok' : s;
}

/**
 * Reads the gateway's SQLite request log directly (read-only). Rows stream in time order;
 * the time window and deployment are filtered in SQL when the time column is ISO text.
 */
export class GatewayLogReviewSource implements ReviewSource {
  readonly description: string;
  private readonly table: string;
  private readonly columns: Partial<Record<Field, string>>;

  constructor(private readonly db: Db, private readonly file: string) {
    this.description = `gateway-log:${file}`;
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    const table = TABLES.find((t) => tables.includes(t));
    if (table === undefined) {
      throw InputError.at({ file }, `no gateway request log in this database (looked for tables ${TABLES.join(', ')}; found ${tables.join(', ') || 'none'})`, 'Pass the gateway database (llmops.yaml gateway:) or a JSONL export with --from.');
    }
    this.table = table;
    const present = new Set((db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name));
    const columns: Partial<Record<Field, string>> = {};
    for (const [field, names] of Object.entries(COLUMNS) as Array<[Field, readonly string[]]>) {
      const found = names.find((n) => present.has(n));
      if (found !== undefined) columns[field] = found;
    }
    const missing = REQUIRED.filter((f) => columns[f] === undefined);
    if (missing.length > 0) {
      throw InputError.at({ file, path: table }, `the request log lacks ${missing.map((f) => `${f} (${COLUMNS[f].join(' | ')})`).join(', ')}`);
    }
    this.columns = columns;
  }

  *responses(filter: SourceFilter): Iterable<LoggedResponse> {
    const c = this.columns;
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.deployment !== undefined) {
      where.push(`"${c.deployment}" = ?`);
      params.push(filter.deployment);
    }
    const sql = `SELECT * FROM "${this.table}"${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY "${c.time}", "${c.requestId}"`;
    for (const row of this.db.prepare(sql).iterate(...params) as Iterable<Record<string, unknown>>) {
      const get = (f: Field): unknown => (c[f] === undefined ? undefined : row[c[f]]);
      const time = toIsoTime(get('time'));
      const requestId = str(get('requestId'));
      if (time === undefined || requestId === undefined) continue;
      // Time is filtered here, not in SQL, because the gateway may store epoch numbers or text.
      if (!inWindow(time, filter.since, filter.until)) continue;
      const response = get('response');
      yield {
        requestId,
        time,
        deployment: str(get('deployment')) ?? '',
        variant: str(get('variant')) ?? 'default',
        tenant: str(get('tenant')),
        userHash: str(get('userHash')),
        messages: parseMessages(get('messages')),
        response: typeof response === 'string' ? response : null,
        context: str(get('context')),
        latencyMs: num(get('latencyMs')),
        inputTokens: num(get('inputTokens')),
        outputTokens: num(get('outputTokens')),
        costUsd: num(get('costUsd')),
        status: isDiscardedUpgradeAttempt(requestId, str(get('tier'))) ? DISCARDED_STATUS : normaliseStatus(get('status')),
      };
    }
  }

  close(): void {
    this.db.close();
  }
}
