import { createReadStream } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { InputError } from '../errors.js';
import { unreadable } from './read-lines.js';

export interface CsvRecord {
  /** 1-based line the record starts on (the header is line 1). */
  line: number;
  record: Record<string, string>;
}

/**
 * Streams the records of a CSV file with a header row, through csv-parse (quoted fields, CRLF,
 * newlines inside quotes, BOM). A malformed file becomes an InputError with its line.
 */
export async function* readCsv(file: string, what: string, onBytes?: (chunk: Buffer) => void): AsyncGenerator<CsvRecord> {
  const parser = parse({ columns: true, info: true, bom: true, skip_empty_lines: true });
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  stream.on('error', (err) => parser.destroy(err));
  if (onBytes) stream.on('data', (chunk) => onBytes(chunk as Buffer));
  stream.pipe(parser);
  let previousEnd = 1;
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { line: previousEnd + 1, record: item.record };
      previousEnd = item.info.lines;
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw InputError.at({ file, line }, `malformed CSV: ${err.message.replace(/^Invalid [^:]*: /, '')}`);
    }
    if ((err as NodeJS.ErrnoException).code) throw unreadable(file, what, err);
    throw err;
  } finally {
    stream.destroy();
    parser.destroy();
  }
}
