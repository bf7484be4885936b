import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { InputError } from '../errors.js';

export interface TextLine {
  /** 1-based line number. */
  line: number;
  text: string;
}

/** Turns a failed open/read into an InputError naming the file (exit 2), never a stack trace. */
export function unreadable(file: string, what: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : String((err as Error).message);
  return InputError.at({ file }, `cannot read ${what}: ${why}`);
}

/**
 * Streams the lines of a UTF-8 text file (LF or CRLF) with their numbers, holding one chunk at
 * a time, so a 100k-line file costs no more memory than a 10-line one. `onBytes` sees every raw
 * chunk (to hash the file in the same pass).
 */
export async function* readLines(file: string, what: string, onBytes?: (chunk: Buffer) => void): AsyncGenerator<TextLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onBytes?.(chunk);
      pending += decoder.write(chunk);
      let start = 0;
      let nl: number;
      while ((nl = pending.indexOf('\n', start)) !== -1) {
        const end = nl > start && pending.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield { line: ++line, text: pending.slice(start, end) };
        start = nl + 1;
      }
      pending = pending.slice(start);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw unreadable(file, what, err);
    throw err;
  } finally {
    stream.destroy();
  }
  pending += decoder.end();
  if (pending.length > 0) yield { line: ++line, text: pending.endsWith('\r') ? pending.slice(0, -1) : pending };
}
