/**
 * Small, deterministic text utilities used by the sim judge and the claim splitter.
 * They are heuristics on purpose: the sim judge must be reproducible offline, not clever.
 */

const STOPWORDS = new Set(
  (
    'a an the and or but if then so of to in on at by for with from as is are was were be been being it its this that these those ' +
    'you your we our they their he she his her i me my do does did can could will would should may might must have has had not no ' +
    'yes there here what which who whom when where why how all any each some such than too very just also only into about over ' +
    'after before up down out off again further once more most other same own both few nor s t'
  ).split(' '),
);

/** Lower-cased word and number tokens; numbers keep their decimal point ("3.5"), commas in numbers are dropped ("1,200" → "1200"). */
export function tokenize(text: string): string[] {
  const cleaned = text.toLowerCase().replace(/(\d),(?=\d{3}\b)/g, '$1');
  return cleaned.match(/\d+(?:\.\d+)?|[\p{L}][\p{L}\p{N}'-]*/gu)?.map((t) => t.replace(/'s$/, '')) ?? [];
}

/** Tokens that carry content (not stopwords); numbers always carry content. */
export function contentTokens(text: string): string[] {
  return tokenize(text).filter((t) => /^\d/.test(t) || (!STOPWORDS.has(t) && t.length > 1));
}

/**
 * Token-level F1 between two texts (SQuAD-style bag-of-tokens overlap on content tokens).
 * Two empty texts agree (1); one empty text against a non-empty one scores 0.
 */
export function overlapF1(a: string, b: string): number {
  const ta = contentTokens(a);
  const tb = contentTokens(b);
  if (ta.length === 0 && tb.length === 0) return 1;
  if (ta.length === 0 || tb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of tb) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of ta) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / ta.length;
  const recall = common / tb.length;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * Splits text into sentence-like claims. Splits after . ! ? followed by whitespace, and on line
 * breaks, but not inside numbers ("3.5") or after common abbreviations (e.g., Mr.), so each claim
 * is a checkable statement.
 */
export function splitSentences(text: string): string[] {
  const protectedText = text.replace(/\b(e\.g|i\.e|etc|mr|mrs|ms|dr|vs|approx|no)\.(?=\s)/gi, (m) => `${m.slice(0, -1)}\u0000`);
  return protectedText
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/\u0000/g, '.').trim())
    .filter((s) => contentTokens(s).length > 0);
}

/** Content tokens of `claim` that never occur in `source` (the sim judge's definition of "unsupported"). */
export function tokensMissingFrom(claim: string, source: string | ReadonlySet<string>): string[] {
  const have = typeof source === 'string' ? new Set(contentTokens(source)) : source;
  return [...new Set(contentTokens(claim))].filter((t) => !have.has(t));
}
