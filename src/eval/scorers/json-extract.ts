/**
 * Finds the JSON a model answered with: the whole output, else the first ```json fenced block,
 * else the outermost {…} or […] span (models often wrap JSON in a sentence).
 */
export function extractJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const candidates: string[] = [text.trim()];
  const fence = /```(?:json|JSON)?[ \t]*\r?\n?([\s\S]*?)```/.exec(text);
  if (fence?.[1] !== undefined) candidates.push(fence[1].trim());
  for (const [open, close] of [['{', '}'], ['[', ']']] as const) {
    const a = text.indexOf(open), b = text.lastIndexOf(close);
    if (a !== -1 && b > a) candidates.push(text.slice(a, b + 1));
  }
  let error = 'no JSON in the output';
  for (const c of candidates) {
    if (c === '') continue;
    try {
      return { ok: true, value: JSON.parse(c) };
    } catch (err) {
      error = `not valid JSON: ${(err as Error).message}`;
    }
  }
  return { ok: false, error };
}

/** Deep equality of JSON values; numbers by value, object key order ignored. */
export function jsonEqual(a: unknown, b: unknown, o: { caseSensitive: boolean }): boolean {
  if (typeof a === 'string' && typeof b === 'string') return o.caseSensitive ? a.trim() === b.trim() : a.trim().toLowerCase() === b.trim().toLowerCase();
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i], o));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], o));
}
