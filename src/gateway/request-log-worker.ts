/**
 * The request log's writer thread: its own connection to the database file, one transaction per
 * batch, so SQLite (and WAL checkpoints) never pause the gateway's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/open.js';
import { batchWriter } from './request-log-sqlite.js';
import type { WriterMessage, WriterReply } from './request-log-thread.js';

const db = openDatabase((workerData as { file: string }).file, { mustExist: true });
// Prepared on first use, and again after a failure (e.g. the tables were not there yet).
let writeBatch: ReturnType<typeof batchWriter> | undefined;
const reply = (m: WriterReply) => parentPort!.postMessage(m);

parentPort!.on('message', (m: WriterMessage) => {
  if (m.type === 'batch') {
    try {
      writeBatch ??= batchWriter(db);
      writeBatch(m.rows, m.feedback);
    } catch (err) {
      writeBatch = undefined;
      reply({ type: 'error', message: (err as Error).message, rows: m.rows.length + m.feedback.length });
    }
    return;
  }
  db.close();
  reply({ type: 'closed' });
  parentPort!.close();
});
