import { createHash } from 'node:crypto';

/**
 * Pure pieces of the simulated provider: hash-uniform draws and answer derivation. A simulated
 * wrong answer is derived from the expected one so that it is wrong for every scorer type:
 * exact, contains (it never contains the expected text), numeric (off by ≥ 10% and ≥ 1),
 * JSON (different values and not parseable), choice letters and yes/no (another option).
 */

/** Uniform in [0, 1) from the SHA-256 of the parts: the same parts always give the same value. */
export function hashUniform(...parts: Array<string | number>): number {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  // 48 bits are plenty and stay exact in a double.
  return h.readUIntBE(0, 6) / 2 ** 48;
}

const NUMBER = /^([-+]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/;
const CHOICE = /^[A-Ea-e]$/;
const BOOLEANS: Record<string, string> = { yes: 'no', no: 'yes', true: 'false', false: 'true' };

function keepCase(template: string, word: string): string {
  if (template === template.toUpperCase()) return word.toUpperCase();
  if (template[0] === template[0]?.toUpperCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}

function wrongNumber(sign: string, intPart: string, frac: string | undefined, u: number, expected: string): string {
  const n = Number(`${sign}${intPart.replace(/,/g, '')}${frac ?? ''}`);
  const decimals = frac ? frac.length - 1 : 0;
  // Rounded *up* to the answer's precision, so printing with its decimals keeps the gap ≥ 10%.
  const unit = 10 ** -decimals;
  const step = Math.ceil(Math.max(1, Math.abs(n) * (0.1 + 0.4 * u)) / unit) * unit;
  const direction = u < 0.5 && n - step >= 0 ? -1 : 1; // stay non-negative when the answer is
  let candidate = n;
  for (let i = 1; i <= 50; i++) {
    candidate = n + direction * step * i;
    const s = candidate.toFixed(decimals);
    if (!s.includes(expected) && Number(s) !== n) return s;
  }
  return `${candidate.toFixed(decimals)}9`;
}

/** Shifts every letter and digit by 1..3 places: same length, different at each, so never contains the original. */
function shiftText(text: string, u: number): string {
  const k = 1 + Math.floor(u * 3);
  const shift = (c: string, base: number, size: number) => String.fromCharCode(base + ((c.charCodeAt(0) - base + k) % size));
  return text.replace(/[a-z]/g, (c) => shift(c, 97, 26)).replace(/[A-Z]/g, (c) => shift(c, 65, 26)).replace(/[0-9]/g, (c) => shift(c, 48, 10));
}

/** Changes every leaf value and its type: numbers become strings of other numbers, strings numbers, booleans flip. */
function mutateJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(mutateJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mutateJson(x)]));
  if (typeof v === 'number') return String(v + 1);
  if (typeof v === 'string') return v.length + 1;
  if (typeof v === 'boolean') return String(!v);
  return 'null';
}

function wrongJson(expected: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(expected);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  // Different values, and cut off before the closing bracket, like a truncated generation.
  const text = JSON.stringify(mutateJson(parsed));
  return text.slice(0, -1);
}

/** A deterministic answer that fails every scorer against `expected`. `u` is a uniform draw. */
export function wrongAnswer(expected: string, u: number): string {
  const e = expected.trim();
  if (e === '') return 'I do not know.';
  const json = e.startsWith('{') || e.startsWith('[') ? wrongJson(e) : undefined;
  if (json !== undefined) return json;
  const num = NUMBER.exec(e);
  if (num) return wrongNumber(num[1] ?? '', num[2] ?? '0', num[3], u, e);
  if (CHOICE.test(e)) {
    const letters = 'ABCDE';
    const i = letters.indexOf(e.toUpperCase());
    const other = letters[(i + 1 + Math.floor(u * 4)) % 5]!; // an offset of 1..4 never lands on i
    return e === e.toUpperCase() ? other : other.toLowerCase();
  }
  const flipped = BOOLEANS[e.toLowerCase()];
  if (flipped) return keepCase(e, flipped);
  const shifted = shiftText(e, u);
  if (!shifted.toLowerCase().includes(e.toLowerCase())) return shifted;
  // No letters or digits to change (e.g. "?!"): any neutral answer that does not contain it.
  return ['I do not know.', 'n/a'].find((x) => !x.includes(e)) ?? '0';
}

const TOPIC_WORDS = 8;

/** A plausible, deterministic answer when the case has no expected answer. */
export function freeAnswer(prompt: string, u: number, json: boolean): string {
  const words = prompt.replace(/\s+/g, ' ').trim().split(' ').slice(0, TOPIC_WORDS).join(' ');
  const openers = ['Here is a short answer', 'In brief', 'To summarise', 'The key point'];
  const text = `${openers[Math.floor(u * openers.length)]}: regarding "${words}", the simulated model gives answer #${Math.floor(u * 1e6)}.`;
  return json ? JSON.stringify({ answer: text }) : text;
}
