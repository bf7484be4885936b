import { mkdirSync, accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { migrate, type Migration } from './migrate.js';
import { coreMigrations } from './schema.js';
import { runLeaseMigrations } from './run-lease.js';

export type Db = BetterSqlite3.Database;

const require = createRequire(import.meta.url);

function loadDriver(): typeof BetterSqlite3 {
  try {
    return require('better-sqlite3') as typeof BetterSqlite3;
  } catch (err) {
    throw new StoreError(
      `Cannot load the SQLite driver (better-sqlite3): ${(err as Error).message.split('\n')[0]}`,
      'Rebuild it for this Node.js version: `npm rebuild better-sqlite3` (needs python3, make and a C++ compiler).',
      err,
    );
  }
}

export interface OpenOptions {
  /** Open an existing database only; never create the file (read-only commands). */
  mustExist?: boolean;
  readonly?: boolean;
  /** Extra component migrations to apply (judge, review, gateway own their tables). */
  migrations?: ReadonlyArray<{ component: string; steps: Migration[] }>;
}

/**
 * Opens (creating if needed) the llmops SQLite database with the settings every writer relies
 * on: WAL so readers never block the writer, a busy timeout so concurrent CLI processes wait
 * instead of failing, and foreign keys on. Corrupt, unreadable or unwritable files become a
 * StoreError naming the path (exit 2), before anything is written.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const file = resolve(path);
  const Database = loadDriver();
  if (path !== ':memory:') {
    if (!existsSync(file)) {
      if (opts.mustExist || opts.readonly) {
        throw new StoreError(`Database ${file} does not exist.`, 'Run `llmops eval` first, or pass --db <path> (env LLMOPS_DB).');
      }
      try {
        mkdirSync(dirname(file), { recursive: true });
      } catch (err) {
        throw new StoreError(`Cannot create the folder for database ${file}: ${(err as Error).message}`, 'Pass a writable --db <path> (env LLMOPS_DB).', err);
      }
    } else if (!opts.readonly) {
      try {
        accessSync(file, constants.W_OK);
      } catch (err) {
        throw new StoreError(`Database ${file} is not writable.`, 'Fix its permissions or pass another --db <path> (env LLMOPS_DB).', err);
      }
    }
  }
  let db: Db;
  try {
    db = new Database(path === ':memory:' ? path : file, { readonly: opts.readonly ?? false, fileMustExist: opts.mustExist ?? false });
  } catch (err) {
    throw new StoreError(`Cannot open database ${file}: ${(err as Error).message}`, 'Pass a writable --db <path> (env LLMOPS_DB).', err);
  }
  try {
    db.pragma('busy_timeout = 5000');
    // Probe the file before changing anything: a corrupt file fails here, not mid-run.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!opts.readonly) {
      migrate(db, 'core', coreMigrations);
      migrate(db, 'run-lease', runLeaseMigrations);
      for (const m of opts.migrations ?? []) migrate(db, m.component, m.steps);
    }
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    const msg = (err as Error).message;
    const corrupt = /not a database|malformed|corrupt/i.test(msg);
    throw new StoreError(
      corrupt ? `Database ${file} is corrupt or not an llmops database (${msg}).` : `Cannot use database ${file}: ${msg}`,
      corrupt ? 'Move the file aside (it is left untouched) or pass another --db <path>.' : 'Check the file and its folder permissions, or pass another --db <path>.',
      err,
    );
  }
  return db;
}
