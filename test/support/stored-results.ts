import Database from 'better-sqlite3';

/** Results committed so far in a run database another process writes (0 before it exists). */
export function storedResults(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('SELECT count(*) AS n FROM results').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}
