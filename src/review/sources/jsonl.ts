import { z } from 'zod';
import { InputError, type InputIssue } from '../../errors.js';
import type { LoggedResponse, ReviewSource, SourceFilter } from '../types.js';
import { readLines } from './read-lines.js';
import { inWindow, toIsoTime } from './time.js';
import { DISCARDED_STATUS, isDiscardedUpgradeAttempt } from './upgrade-attempt.js';

const MessageSchema = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });

/**
 * One line of a request-log export (the reviewed-item input format). snake_case like the
 * gateway's log columns; unknown keys are allowed so exports can carry more.
 */
export const ExportLineSchema = z.looseObject({
  request_id: z.string().min(1),
  time: z.union([z.string(), z.number()]),
  deployment: z.string().min(1),
  variant: z.string().min(1).default('default'),
  tenant: z.string().nullish(),
  user_hash: z.string().nullish(),
  messages: z.array(MessageSchema).nullable(),
  response: z.string().nullable(),
  context: z.string().nullish(),
  latency_ms: z.number().nullish(),
  input_tokens: z.number().int().nullish(),
  output_tokens: z.number().int().nullish(),
  cost_usd: z.number().nullish(),
  status: z.string().default('ok'),
});

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

type ExportLine = z.output<typeof ExportLineSchema>;

const isStr = (v: unknown): v is string => typeof v === 'string';
const optOf = (v: unknown, check: (x: unknown) => boolean) => v === undefined || v === null || check(v);
const isNum = (v: unknown) => typeof v === 'number';
const isInt = (v: unknown) => Number.isInteger(v);

/**
 * The well-formed line, checked by hand: a week of traffic is hundreds of thousands of lines and
 * zod costs more than the JSON parse. Anything unusual returns undefined and goes through zod,
 * which also produces the error messages.
 */
function quickParse(d: unknown): ExportLine | undefined {
  if (d === null || typeof d !== 'object' || Array.isArray(d)) return undefined;
  const o = d as Record<string, unknown>;
  if (!isStr(o.request_id) || o.request_id === '' || !(isStr(o.time) || isNum(o.time)) || !isStr(o.deployment) || o.deployment === '') return undefined;
  if (!(o.variant === undefined || (isStr(o.variant) && o.variant !== '')) || !(o.status === undefined || isStr(o.status))) return undefined;
  if (!(o.response === null || isStr(o.response))) return undefined;
  if (!optOf(o.tenant, isStr) || !optOf(o.user_hash, isStr) || !optOf(o.context, isStr)) return undefined;
  if (!optOf(o.latency_ms, isNum) || !optOf(o.input_tokens, isInt) || !optOf(o.output_tokens, isInt) || !optOf(o.cost_usd, isNum)) return undefined;
  if (o.messages !== null) {
    if (!Array.isArray(o.messages)) return undefined;
    for (const m of o.messages as unknown[]) {
      if (m === null || typeof m !== 'object') return undefined;
      const { role, content } = m as { role?: unknown; content?: unknown };
      if ((role !== 'system' && role !== 'user' && role !== 'assistant') || !isStr(content)) return undefined;
    }
  }
  return { ...o, variant: o.variant ?? 'default', status: o.status ?? 'ok' } as ExportLine;
}

/**
 * Reads a JSONL export of the request log. Every bad line is collected and reported together
 * (file:line and key) once the file has been read, before anything is sampled or written.
 */
export class JsonlReviewSource implements ReviewSource {
  readonly description: string;
  constructor(private readonly file: string) {
    this.description = `jsonl:${file}`;
  }

  *responses(filter: SourceFilter): Iterable<LoggedResponse> {
    const issues: InputIssue[] = [];
    const seen = new Map<string, number>();
    for (const { line, text } of readLines(this.file)) {
      if (text.trim() === '') continue;
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        issues.push({ file: this.file, line, message: `not valid JSON: ${(err as Error).message}` });
        continue;
      }
      let r = quickParse(data);
      if (r === undefined) {
        const res = ExportLineSchema.safeParse(data);
        if (!res.success) {
          for (const iss of res.error.issues) issues.push({ file: this.file, line, path: iss.path.join('.') || '(root)', message: iss.message });
          continue;
        }
        r = res.data;
      }
      const time = toIsoTime(r.time);
      if (time === undefined) {
        issues.push({ file: this.file, line, path: 'time', message: `'${String(r.time)}' is not an ISO 8601 time or epoch milliseconds` });
        continue;
      }
      const prev = seen.get(r.request_id);
      if (prev !== undefined) {
        issues.push({ file: this.file, line, path: 'request_id', message: `request '${r.request_id}' is logged twice (also line ${prev})` });
        continue;
      }
      seen.set(r.request_id, line);
      if (issues.length > 0) continue; // keep validating, but stop feeding a sample that will be refused
      if (!inWindow(time, filter.since, filter.until)) continue;
      if (filter.deployment !== undefined && r.deployment !== filter.deployment) continue;
      yield {
        requestId: r.request_id,
        time,
        deployment: r.deployment,
        variant: r.variant,
        tenant: opt(r.tenant),
        userHash: opt(r.user_hash),
        messages: r.messages,
        response: r.response,
        context: opt(r.context),
        latencyMs: opt(r.latency_ms),
        inputTokens: opt(r.input_tokens),
        outputTokens: opt(r.output_tokens),
        costUsd: opt(r.cost_usd),
        // An export of the gateway log keeps its discarded fast attempts (`<id>.fast`, optional key `tier`).
        status: isDiscardedUpgradeAttempt(r.request_id, typeof r.tier === 'string' ? r.tier : undefined) ? DISCARDED_STATUS : r.status,
      };
    }
    if (issues.length > 0) throw new InputError(issues, 'Each line is one logged response: {"request_id", "time", "deployment", "variant", "messages", "response", "status", …} (README "Human review").');
  }

  close(): void {}
}
