import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';

/**
 * Real traffic-like text used to check (never to train) the shipped model: customer-support
 * queries from Banking77 and grade-school math word problems from GSM8K, read where they are in
 * ../shared/datasets (their licences forbid nothing, but the repo never copies them).
 */
export function sharedDatasetsDir(repoRoot: string): string {
  return join(repoRoot, '..', 'shared', 'datasets');
}

/** Banking77 test.csv: CRLF records, quoted fields with embedded newlines; text is trimmed. */
export function loadBanking77Queries(file: string): string[] {
  let rows: Array<{ text?: string }>;
  try {
    rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as Array<{ text?: string }>;
  } catch (err) {
    throw InputError.at({ file }, `cannot read Banking77 CSV: ${(err as Error).message}`);
  }
  return rows.map((r) => (r.text ?? '').trim()).filter((t) => t.length > 0);
}

/** GSM8K test.jsonl: the `question` field of each line. */
export function loadGsm8kQuestions(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw InputError.at({ file }, `cannot read GSM8K JSONL: ${(err as Error).message}`);
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const q = (JSON.parse(l) as { question?: unknown }).question;
      if (typeof q !== 'string') throw InputError.at({ file, line: i + 1, path: 'question' }, 'missing question');
      return q;
    });
}
