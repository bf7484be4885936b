import { createHash } from 'node:crypto';

/**
 * Content hash used to identify rubrics and built-in judge prompts. Line endings are normalised
 * so the same rubric checked out on Windows and Linux has one identity.
 */
export function contentHash(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n?/g, '\n'), 'utf8').digest('hex').slice(0, 16);
}

/** Stable hash of any JSON-serialisable value (cache keys). */
export function jsonHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value), 'utf8').digest('hex');
}
