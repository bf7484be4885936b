import { z } from 'zod';
import { InputError, type InputIssue } from '../errors.js';
import { dottedPath, readTextFile } from '../config/yaml-source.js';
import { schemaIssues } from '../config/zod-issues.js';
import { TIERS, type RouteMessage, type RouteRequest, type Tier } from './types.js';

/**
 * A training / evaluation pair: a request and the tier that serves it best. One JSON object per
 * line in a `.jsonl` file, e.g. `{"query": "Where is my card?", "tier": "fast"}`; the optional
 * fields describe the rest of the request the way the gateway would see it.
 */
export interface LabelledRequest {
  query: string;
  tier: Tier;
  context?: string | undefined;
  maxTokens?: number | undefined;
  wantsJson?: boolean | undefined;
  tags?: string[] | undefined;
  /** Earlier turns of the conversation, oldest first (the query is the last user turn). */
  history?: RouteMessage[] | undefined;
}

export const LabelledRequestSchema = z.strictObject({
  query: z.string().min(1, 'must be a non-empty string'),
  tier: z.enum(TIERS, { error: `must be one of ${TIERS.join(', ')}` }),
  context: z.string().optional(),
  maxTokens: z.number().int().positive().optional(),
  wantsJson: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  history: z.array(z.strictObject({ role: z.string().min(1), content: z.string() })).optional(),
});

export function toRouteRequest(p: LabelledRequest): RouteRequest {
  return {
    messages: [...(p.history ?? []), { role: 'user', content: p.query }],
    maxTokens: p.maxTokens,
    wantsJson: p.wantsJson,
    context: p.context,
    tags: p.tags,
  };
}

/** Issues beyond this many are summarised: a wrong file should not print 100,000 lines. */
const MAX_LISTED_ISSUES = 50;

/** Parses JSONL pairs, reporting every bad line with file, line, column and key path. */
export function parsePairs(file: string, text: string): LabelledRequest[] {
  const pairs: LabelledRequest[] = [];
  const issues: InputIssue[] = [];
  let extra = 0;
  const add = (issue: InputIssue) => (issues.length < MAX_LISTED_ISSUES ? issues.push(issue) : extra++);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      const pos = /position (\d+)/.exec((err as Error).message);
      add({ file, line, column: pos ? Number(pos[1]) + 1 : undefined, message: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    const res = LabelledRequestSchema.safeParse(value);
    if (!res.success) {
      for (const iss of schemaIssues(res.error)) add({ file, line, path: dottedPath(iss.path) || '(root)', message: iss.message });
      continue;
    }
    pairs.push(res.data as LabelledRequest);
  }
  if (extra > 0) issues.push({ file, message: `… and ${extra} more problems` });
  if (issues.length > 0) throw new InputError(issues, 'Each line must be a JSON object like {"query": "…", "tier": "fast|mid|powerful"}.');
  if (pairs.length === 0) throw InputError.at({ file }, 'no pairs found (the file is empty)');
  return pairs;
}

export function loadPairs(file: string): LabelledRequest[] {
  return parsePairs(file, readTextFile(file, 'router pairs'));
}

export function formatPairs(pairs: readonly LabelledRequest[]): string {
  return pairs.map((p) => JSON.stringify(p)).join('\n') + '\n';
}
