/**
 * Persistence of the gateway's control plane (deployment variants and weights, audit events)
 * behind a small interface; SQLite is the embedded implementation. Only admin actions write
 * here (rare), never the request path.
 */
import type { Db } from '../store/open.js';
import type { Migration } from '../store/migrate.js';
import type { AuditEvent } from './events.js';
import type { DeploymentSnapshot } from './registry.js';

export interface GatewayStateStore {
  loadDeployments(): DeploymentSnapshot[];
  saveDeployment(snapshot: DeploymentSnapshot): void;
  appendEvent(event: AuditEvent): number;
  listEvents(opts: { deployment?: string; limit: number; afterId?: number }): AuditEvent[];
}

export const gatewayMigrations: Migration[] = [
  {
    version: 1,
    description: 'gateway control plane and request log',
    sql: `
      CREATE TABLE gateway_deployments (name TEXT PRIMARY KEY, state_json TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE gateway_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, deployment TEXT NOT NULL, type TEXT NOT NULL,
        actor TEXT NOT NULL, reason TEXT, detail_json TEXT NOT NULL);
      CREATE INDEX gateway_events_deployment ON gateway_events (deployment, id);
      CREATE TABLE request_log (
        request_id TEXT PRIMARY KEY, time TEXT NOT NULL, deployment TEXT NOT NULL, variant TEXT NOT NULL, upstream TEXT NOT NULL,
        tier TEXT, tenant TEXT NOT NULL, user_hash TEXT NOT NULL, status INTEGER NOT NULL, outcome TEXT NOT NULL, error_kind TEXT,
        stream INTEGER NOT NULL, cached INTEGER NOT NULL, request_messages TEXT, response_text TEXT, context TEXT,
        latency_ms REAL NOT NULL, ttft_ms REAL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL);
      CREATE INDEX request_log_time ON request_log (deployment, time);
      CREATE TABLE request_feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL, time TEXT NOT NULL, rating TEXT NOT NULL,
        comment TEXT, tenant TEXT NOT NULL, deployment TEXT, variant TEXT);
      CREATE INDEX request_feedback_request ON request_feedback (request_id);
    `,
  },
];

export class SqliteGatewayStateStore implements GatewayStateStore {
  constructor(private readonly db: Db) {}

  loadDeployments(): DeploymentSnapshot[] {
    const rows = this.db.prepare('SELECT state_json FROM gateway_deployments ORDER BY name').all() as Array<{ state_json: string }>;
    return rows.map((r) => JSON.parse(r.state_json) as DeploymentSnapshot);
  }

  saveDeployment(snapshot: DeploymentSnapshot): void {
    this.db
      .prepare('INSERT INTO gateway_deployments (name, state_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at')
      .run(snapshot.name, JSON.stringify(snapshot), new Date(snapshot.updatedAt).toISOString());
  }

  appendEvent(e: AuditEvent): number {
    const r = this.db
      .prepare('INSERT INTO gateway_events (time, deployment, type, actor, reason, detail_json) VALUES (?, ?, ?, ?, ?, ?)')
      .run(new Date(e.time).toISOString(), e.deployment, e.type, e.actor, e.reason ?? null, JSON.stringify(e.detail));
    return Number(r.lastInsertRowid);
  }

  listEvents(opts: { deployment?: string; limit: number; afterId?: number }): AuditEvent[] {
    const rows = this.db
      .prepare(`SELECT id, time, deployment, type, actor, reason, detail_json FROM gateway_events
        WHERE (? IS NULL OR deployment = ?) AND id > ? ORDER BY id DESC LIMIT ?`)
      .all(opts.deployment ?? null, opts.deployment ?? null, opts.afterId ?? 0, opts.limit) as Array<{ id: number; time: string; deployment: string; type: string; actor: string; reason: string | null; detail_json: string }>;
    return rows.reverse().map((r) => ({
      id: r.id, time: Date.parse(r.time), deployment: r.deployment, type: r.type, actor: r.actor,
      ...(r.reason === null ? {} : { reason: r.reason }), detail: JSON.parse(r.detail_json) as Record<string, unknown>,
    }));
  }
}

/** In-memory store for a gateway run without a database (and for tests of the registry). */
export class MemoryGatewayStateStore implements GatewayStateStore {
  private readonly deployments = new Map<string, DeploymentSnapshot>();
  private readonly events: AuditEvent[] = [];
  loadDeployments(): DeploymentSnapshot[] {
    return [...this.deployments.values()].map((d) => structuredClone(d));
  }
  saveDeployment(s: DeploymentSnapshot): void {
    this.deployments.set(s.name, structuredClone(s));
  }
  appendEvent(e: AuditEvent): number {
    const id = this.events.length + 1;
    this.events.push({ ...e, id });
    return id;
  }
  listEvents(opts: { deployment?: string; limit: number; afterId?: number }): AuditEvent[] {
    return this.events.filter((e) => (opts.deployment === undefined || e.deployment === opts.deployment) && (e.id ?? 0) > (opts.afterId ?? 0)).slice(-opts.limit);
  }
}
