/**
 * Numbers as models write them: `-12`, `−12` (Unicode minus), `1,234,567.5`, `$1,234`, `€5`.
 * A sign counts only when it starts the number (`COVID-19` is 19, `-19` is −19).
 */
const NUMBER = /(?<![\w.])([-−]?)[$€£]?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)/g;

export function parseNumberToken(sign: string, digits: string): number {
  const n = Number(digits.replace(/,/g, ''));
  return sign ? -n : n;
}

/** Every number in the text, in order. */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(NUMBER)].map((m) => parseNumberToken(m[1] ?? '', m[2] as string));
}

/** The text as one number (whole string, after trimming), or undefined. */
export function parseWholeNumber(text: string): number | undefined {
  const t = text.trim();
  const all = [...t.matchAll(NUMBER)];
  if (all.length !== 1) return undefined;
  const m = all[0]!;
  const rest = t.slice(0, m.index) + t.slice(m.index + m[0].length);
  return rest.trim() === '' ? parseNumberToken(m[1] ?? '', m[2] as string) : undefined;
}
