/**
 * The request log's writer thread: its own connection to the database file, one transaction per
 * batch, so SQLite (and WAL checkpoints) never pause the gateway's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/open.js';
import { SqliteRequestLogSink } from './request-log-sqlite.js';
import type { WriterMessage, WriterReply } from './request-log-thread.js';

const db = openDatabase((workerData as { file: string }).file, { mustExist: true });
const reply = (m: WriterReply) => parentPort!.postMessage(m);
const sink = new SqliteRequestLogSink(db, (err, rows) => reply({ type: 'error', message: err.message, rows: rows ?? 0 }));

parentPort!.on('message', (m: WriterMessage) => {
  if (m.type === 'batch') {
    sink.write(m.rows, m.feedback);
    return;
  }
  db.close();
  reply({ type: 'closed' });
  parentPort!.close();
});
