import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/**
 * Writes a file through a temporary sibling and a rename, so a reader (or a crash) never sees
 * a half-written report. `write` receives a function appending text.
 */
export function writeFileAtomically(path: string, write: (append: (chunk: string) => void) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  let buf = '';
  const append = (chunk: string) => {
    buf += chunk;
    if (buf.length > 1 << 16) {
      writeSync(fd, buf);
      buf = '';
    }
  };
  try {
    write(append);
    if (buf) writeSync(fd, buf);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw err;
  }
}
