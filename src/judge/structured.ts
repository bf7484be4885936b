import type { z } from 'zod';

export type ParsedReply<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Finds the JSON object in a judge reply. Models in JSON mode return a bare object; others wrap
 * it in prose or a ```json fence, so take the outermost {...} rather than demanding purity.
 */
export function extractJsonObject(text: string): string | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const body = fenced?.[1] ?? text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  return body.slice(start, end + 1);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** Parses and validates a judge reply against the task's zod schema; never throws. */
export function parseJudgeReply<S extends z.ZodType>(text: string, schema: S): ParsedReply<z.output<S>> {
  if (text.trim().length === 0) return { ok: false, problem: 'the reply was empty (refusal or content filter?)' };
  const json = extractJsonObject(text);
  if (json === undefined) return { ok: false, problem: `the reply contains no JSON object: "${snippet(text)}"` };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    return { ok: false, problem: `the reply is not valid JSON (${(err as Error).message}): "${snippet(json)}"` };
  }
  const res = schema.safeParse(data);
  if (!res.success) {
    const why = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, problem: `the reply does not match the expected shape (${why})` };
  }
  return { ok: true, value: res.data };
}
