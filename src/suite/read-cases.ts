import { InputError } from '../errors.js';
import { parseCaseLine, type Parsed } from './case-line.js';
import { mapDatasetRecord } from './dataset-record.js';
import { readCsv } from './read-csv.js';
import { readLines } from './read-lines.js';
import type { Case, CaseSourceSpec, Suite } from './types.js';

/**
 * Streams every record of a case source as a parsed case or its issues, in file order. Blank
 * lines of JSONL files are skipped. `onBytes` sees the raw file bytes (for the content hash).
 */
export async function* readCaseRecords(src: CaseSourceSpec, onBytes?: (chunk: Buffer) => void): AsyncGenerator<Parsed> {
  if (src.kind === 'dataset' && src.mapping.format === 'csv') {
    for await (const r of readCsv(src.file, 'dataset', onBytes)) yield mapDatasetRecord(src.file, r.line, r.record, src.mapping);
    return;
  }
  for await (const { line, text } of readLines(src.file, src.kind === 'jsonl' ? 'cases' : 'dataset', onBytes)) {
    if (text.trim() === '') continue;
    if (src.kind === 'jsonl') {
      yield parseCaseLine(src.file, line, text);
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (err) {
      yield { issues: [{ file: src.file, line, message: `malformed JSON: ${(err as Error).message}` }] };
      continue;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      yield { issues: [{ file: src.file, line, message: 'a dataset record is a JSON object' }] };
      continue;
    }
    yield mapDatasetRecord(src.file, line, record as Record<string, unknown>, src.mapping);
  }
}

/**
 * Streams the cases of a loaded suite in file order, one at a time: a 100,000-case suite is
 * never held in memory. The file was validated by `loadSuite`; if it changed since and a record
 * is now invalid, the stream throws an InputError naming it.
 */
export async function* iterateCases(suite: Suite): AsyncGenerator<Case> {
  if (!suite.caseSource) throw new InputError([{ file: suite.file, path: 'cases', message: 'suite was not loaded with loadSuite (no case source)' }]);
  for await (const r of readCaseRecords(suite.caseSource)) {
    if (r.issues) throw new InputError(r.issues, 'The case file changed since the suite was loaded; run again.');
    yield r.case;
  }
}
