import { existsSync } from 'node:fs';
import { InputError } from '../errors.js';
import { TIERS, type Tier } from '../router/types.js';
import { mixFromCounts } from './estimate.js';
import type { Rational } from './rational.js';

/**
 * The tier mix the gateway actually routed, from its SQLite request log: the `request_log` table
 * (src/gateway/state-store.ts), whose `tier` column is set for requests to routed deployments;
 * failing that, any table with a `tier` column. Opened read-only, so a running gateway is not
 * disturbed.
 */
export async function tierCountsFromRequestLog(file: string): Promise<Record<Tier, number>> {
  if (!existsSync(file)) throw InputError.at({ file }, 'request log database not found');
  const { default: Database } = await import('better-sqlite3');
  let db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw InputError.at({ file }, `cannot open request log: ${(err as Error).message}`);
  }
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    const hasTier = (name: string) => (db.prepare(`PRAGMA table_info("${name.replace(/"/g, '""')}")`).all() as Array<{ name: string }>).some((c) => c.name === 'tier');
    const preferred = tables.filter((t) => t.name === 'request_log' && hasTier(t.name));
    const withTier = preferred.length > 0 ? preferred : tables.filter((t) => hasTier(t.name));
    if (withTier.length === 0) throw InputError.at({ file }, 'no table with a `tier` column: this is not a gateway request log with routed deployments', "Point --from-log at the gateway's SQLite database (the one holding its request_log table).");
    const counts: Record<Tier, number> = { fast: 0, mid: 0, powerful: 0 };
    for (const t of withTier) {
      const rows = db.prepare(`SELECT tier, COUNT(*) AS n FROM "${t.name.replace(/"/g, '""')}" WHERE tier IS NOT NULL GROUP BY tier`).all() as Array<{ tier: string; n: number }>;
      for (const r of rows) if ((TIERS as readonly string[]).includes(r.tier)) counts[r.tier as Tier] += r.n;
    }
    if (counts.fast + counts.mid + counts.powerful === 0) throw InputError.at({ file }, 'the request log has no routed requests yet (no rows with a tier)');
    return counts;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw InputError.at({ file }, `cannot read request log: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

export async function mixFromRequestLog(file: string): Promise<Record<Tier, Rational>> {
  return mixFromCounts(await tierCountsFromRequestLog(file));
}
