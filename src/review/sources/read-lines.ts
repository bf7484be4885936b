import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../errors.js';

/**
 * Yields the lines of a text file with their 1-based numbers, reading 1 MiB at a time so a
 * large request-log export never has to fit in memory at once.
 */
export function* readLines(file: string): Generator<{ line: number; text: string }> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw InputError.at({ file }, `cannot read the request log: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  try {
    const buf = Buffer.alloc(1 << 20);
    let pending = '';
    let line = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      // Decode only up to the last newline so a multi-byte character is never split.
      const lastNl = buf.lastIndexOf(10, n - 1);
      if (lastNl === -1) {
        pending += buf.toString('utf8', 0, n);
        continue;
      }
      const chunk = pending + buf.toString('utf8', 0, lastNl);
      pending = buf.toString('utf8', lastNl + 1, n);
      for (const text of chunk.split('\n')) yield { line: ++line, text };
    }
    if (pending !== '') yield { line: ++line, text: pending };
  } finally {
    closeSync(fd);
  }
}
