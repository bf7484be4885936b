import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../errors.js';
import type { ReviewSource } from '../types.js';
import { JsonlReviewSource } from './jsonl.js';

export { JsonlReviewSource } from './jsonl.js';
export { GatewayLogReviewSource } from './gateway-log.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function isSqliteFile(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw InputError.at({ file }, `cannot read the request log: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`, 'Pass --from <gateway.db | export.jsonl>.');
  }
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 16 && buf.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/** Opens a request log by content: an SQLite file is the gateway's log, anything else a JSONL export. */
export async function openReviewSource(file: string): Promise<ReviewSource> {
  if (!isSqliteFile(file)) return new JsonlReviewSource(file);
  const { openDatabase } = await import('../../store/index.js');
  const { GatewayLogReviewSource } = await import('./gateway-log.js');
  const db = openDatabase(file, { readonly: true, mustExist: true });
  try {
    return new GatewayLogReviewSource(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
}
