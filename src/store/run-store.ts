import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { NotFoundError, UsageError } from '../errors.js';
import type { Score, ScoreError } from '../eval/scorers/types.js';
import type { Db } from './open.js';
import { leaseOf, leaseState, pidAlive, RunBusyError, STALE_AFTER_MS, thisProcess, type LeaseColumns, type LeaseContext, type LeaseOwner } from './run-lease.js';
import type { GateDecisionRecord, ResultRecord, RunRecord, RunStatus } from './types.js';

interface RunRow extends LeaseColumns {
  id: string; batch_id: string; suite: string; suite_hash: string; model: string; provider: string;
  synthetic: number; status: RunStatus; planned: number; params: string; started_at: string; finished_at: string | null;
}
interface ResultRow {
  run_id: string; case_id: string; repeat: number; outcome: ResultRecord['outcome']; output: string | null;
  error_kind: string | null; error_message: string | null; latency_ms: number | null; ttft_ms: number | null;
  input_tokens: number; output_tokens: number; cost_usd: number | null; attempts: number; cached: number; tags: string;
}
interface ScoreRow { case_id: string; repeat: number; name: string; value: number; pass: number | null; reason: string | null; meta: string | null; error: string | null }

/** Sortable, unique, short: time prefix so `runs list` order and ids agree. */
export function newRunId(now = Date.now()): string {
  return `r-${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * A run as readers see it: a 'running' run whose owner is gone (killed, crashed, lost host) or
 * that has none reads as 'interrupted', with its former owner and why.
 */
function toRun(r: RunRow, ctx: LeaseContext): RunRecord {
  const run: RunRecord = {
    id: r.id, batchId: r.batch_id, suite: r.suite, suiteHash: r.suite_hash, model: r.model, provider: r.provider,
    synthetic: r.synthetic === 1, status: r.status, planned: r.planned, params: JSON.parse(r.params) as Record<string, unknown>,
    startedAt: r.started_at, finishedAt: r.finished_at,
  };
  const lease = leaseOf(r);
  if (lease) run.owner = { host: lease.host, pid: lease.pid, since: lease.since, heartbeatAt: lease.heartbeatAt };
  if (r.status === 'running') {
    const state = leaseState(lease, ctx);
    if (state.kind === 'free') run.status = 'interrupted';
    else if (state.kind === 'abandoned') {
      run.status = 'interrupted';
      run.owner!.gone = state.why;
    }
  }
  return run;
}

/** Who a RunStore acts as, and how it tells a dead owner; defaults are this process and its clock. */
export interface RunStoreOptions {
  owner?: LeaseOwner;
  now?: () => number;
  pidAlive?: (pid: number) => boolean;
  staleAfterMs?: number;
}

function toScore(s: ScoreRow): Score {
  return {
    name: s.name, value: s.value, pass: s.pass === null ? null : s.pass === 1,
    ...(s.reason === null ? {} : { reason: s.reason }),
    ...(s.meta === null ? {} : { meta: JSON.parse(s.meta) as Record<string, unknown> }),
  };
}

export type NewRun = Omit<RunRecord, 'status' | 'startedAt' | 'finishedAt'>;

/** Runs, results, scores, baselines and gate decisions. All SQL for them lives here. */
export class RunStore {
  readonly db: Db;
  private readonly insertResult: Statement;
  private readonly deleteScores: Statement;
  private readonly insertScore: Statement;

  private readonly lease: Required<RunStoreOptions>;

  constructor(db: Db, opts: RunStoreOptions = {}) {
    this.db = db;
    this.lease = { owner: opts.owner ?? thisProcess, now: opts.now ?? Date.now, pidAlive: opts.pidAlive ?? pidAlive, staleAfterMs: opts.staleAfterMs ?? STALE_AFTER_MS };
    this.insertResult = db.prepare(`INSERT OR REPLACE INTO results
      (run_id, case_id, repeat, outcome, output, error_kind, error_message, latency_ms, ttft_ms, input_tokens, output_tokens, cost_usd, attempts, cached, tags, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.deleteScores = db.prepare('DELETE FROM scores WHERE run_id = ? AND case_id = ? AND repeat = ?');
    this.insertScore = db.prepare('INSERT OR REPLACE INTO scores (run_id, case_id, repeat, name, value, pass, reason, meta, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  }

  private leaseContext(): LeaseContext {
    return { self: this.lease.owner, nowMs: this.lease.now(), staleAfterMs: this.lease.staleAfterMs, pidAlive: this.lease.pidAlive };
  }

  /** A new run, owned by this process (see run-lease.ts) until its final status is set. */
  createRun(run: NewRun, now = new Date()): RunRecord {
    const me = this.lease.owner;
    this.db.prepare(`INSERT INTO runs (id, batch_id, suite, suite_hash, model, provider, synthetic, status, planned, params, started_at, finished_at,
      owner_host, owner_pid, owner_token, owner_since, heartbeat_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, NULL, ?, ?, ?, ?, ?)`).run(
      run.id, run.batchId, run.suite, run.suiteHash, run.model, run.provider, run.synthetic ? 1 : 0, run.planned, JSON.stringify(run.params), now.toISOString(),
      me.host, me.pid, me.token, new Date(this.lease.now()).toISOString(), new Date(this.lease.now()).toISOString(),
    );
    return this.getRun(run.id);
  }

  /**
   * Sets a run's status; a final one also releases the lease. A run another process has taken
   * over is left alone: returns false then.
   */
  setStatus(id: string, status: RunStatus, now = new Date()): boolean {
    const owned = 'id = ? AND (owner_token IS NULL OR owner_token = ?)';
    const info = status === 'running'
      ? this.db.prepare(`UPDATE runs SET status = 'running', finished_at = NULL WHERE ${owned}`).run(id, this.lease.owner.token)
      : this.db.prepare(`UPDATE runs SET status = ?, finished_at = ?, owner_host = NULL, owner_pid = NULL, owner_token = NULL, owner_since = NULL, heartbeat_at = NULL
          WHERE ${owned}`).run(status, now.toISOString(), id, this.lease.owner.token);
    return info.changes > 0;
  }

  /**
   * Takes a stored run over to resume it, in one IMMEDIATE transaction so two processes cannot
   * both take it: refused (RunBusyError, exit 2) while another live process owns it.
   */
  acquireRun(idOrPrefix: string): RunRecord {
    const id = this.getRun(idOrPrefix).id;
    const me = this.lease.owner;
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow;
      if (row.status === 'completed') throw new UsageError(`Run ${id} is already complete.`, 'Nothing to resume.');
      // Read the clock inside the write lock: waiting for it may take a while.
      const state = leaseState(leaseOf(row), this.leaseContext());
      if (state.kind === 'held') throw new RunBusyError(id, state.lease, state.heartbeatAgeMs);
      const ts = new Date(this.lease.now()).toISOString();
      this.db.prepare(`UPDATE runs SET status = 'running', finished_at = NULL, owner_host = ?, owner_pid = ?, owner_token = ?, owner_since = ?, heartbeat_at = ?
        WHERE id = ?`).run(me.host, me.pid, me.token, ts, ts, id);
    }).immediate();
    return this.getRun(id);
  }

  /** Heartbeat of the runs this process executes; returns those it no longer owns. */
  renewLeases(ids: readonly string[]): string[] {
    const ts = new Date(this.lease.now()).toISOString();
    const stmt = this.db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner_token = ? AND status = 'running'");
    return this.db.transaction(() => ids.filter((id) => stmt.run(ts, id, this.lease.owner.token).changes === 0))();
  }

  setPlanned(id: string, planned: number): void {
    this.db.prepare('UPDATE runs SET planned = ? WHERE id = ?').run(planned, id);
  }

  findRun(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRun(row, this.leaseContext()) : undefined;
  }

  /** Exact id, or a unique prefix of one (like git). */
  getRun(idOrPrefix: string): RunRecord {
    const exact = this.findRun(idOrPrefix);
    if (exact) return exact;
    const rows = this.db.prepare("SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2").all(`${idOrPrefix.replace(/[\\%_]/g, '\\$&')}%`) as RunRow[];
    if (rows.length === 1) return toRun(rows[0]!, this.leaseContext());
    if (rows.length > 1) throw new UsageError(`Run id prefix '${idOrPrefix}' is ambiguous.`, 'Give more characters of the id (see `llmops runs list`).');
    throw new NotFoundError(`No run with id '${idOrPrefix}'.`, 'See `llmops runs list` for stored runs.');
  }

  listRuns(filter: { suite?: string; model?: string; limit?: number } = {}): RunRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.suite) { where.push('suite = ?'); args.push(filter.suite); }
    if (filter.model) { where.push('model = ?'); args.push(filter.model); }
    const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ?`;
    const ctx = this.leaseContext();
    return (this.db.prepare(sql).all(...args, filter.limit ?? 50) as RunRow[]).map((r) => toRun(r, ctx));
  }

  /** Latest completed run of a suite for a model, to reuse as a baseline. */
  latestCompletedRun(suite: string, model: string, suiteHash?: string): RunRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM runs WHERE suite = ? AND model = ? AND status = 'completed' ${suiteHash ? 'AND suite_hash = ?' : ''}
      ORDER BY started_at DESC LIMIT 1`).get(...(suiteHash ? [suite, model, suiteHash] : [suite, model])) as RunRow | undefined;
    return row ? toRun(row, this.leaseContext()) : undefined;
  }

  /** Writes a batch of results (and their scores) in one transaction; replaces earlier attempts of the same case. */
  writeResults(results: ReadonlyArray<ResultRecord>, now = new Date()): void {
    const ts = now.toISOString();
    this.db.transaction(() => {
      for (const r of results) {
        this.deleteScores.run(r.runId, r.caseId, r.repeat);
        this.insertResult.run(r.runId, r.caseId, r.repeat, r.outcome, r.output, r.errorKind, r.errorMessage, r.latencyMs, r.ttftMs,
          r.inputTokens, r.outputTokens, r.costUsd, r.attempts, r.cached ? 1 : 0, JSON.stringify(r.tags), ts);
        for (const s of r.scores) {
          this.insertScore.run(r.runId, r.caseId, r.repeat, s.name, s.value, s.pass === null ? null : s.pass ? 1 : 0, s.reason ?? null, s.meta ? JSON.stringify(s.meta) : null, null);
        }
        // In the same transaction as the result: a killed run never keeps a result without them.
        for (const e of r.scoreErrors ?? []) this.insertScore.run(r.runId, r.caseId, r.repeat, e.name, 0, null, null, null, e.message);
      }
    })();
  }

  /** Keys `caseId\u0000repeat` of results that need no re-run on --resume (errors are re-run). */
  finishedKeys(runId: string): Set<string> {
    const keys = new Set<string>();
    for (const row of this.db.prepare("SELECT case_id, repeat FROM results WHERE run_id = ? AND outcome != 'error'").iterate(runId) as IterableIterator<{ case_id: string; repeat: number }>) {
      keys.add(`${row.case_id}\u0000${row.repeat}`);
    }
    return keys;
  }

  countResults(runId: string): { total: number; pass: number; fail: number; error: number } {
    const row = this.db.prepare(`SELECT count(*) AS total, sum(outcome = 'pass') AS pass, sum(outcome = 'fail') AS fail, sum(outcome = 'error') AS error
      FROM results WHERE run_id = ?`).get(runId) as { total: number; pass: number | null; fail: number | null; error: number | null };
    return { total: row.total, pass: row.pass ?? 0, fail: row.fail ?? 0, error: row.error ?? 0 };
  }

  /**
   * Streams a run's results with their scores, ordered by case id then repeat. `texts: false`
   * leaves out the answer, error message, score reasons and scorer error messages (output '',
   * errorMessage and reason null, scoreErrors' message ''): the gate reads only numbers, and
   * real answers are long.
   */
  *iterateResults(runId: string, opts: { texts?: boolean } = {}): Generator<ResultRecord> {
    // Two ordered cursors merged, so 100k results never sit in memory at once.
    const columns = opts.texts === false
      ? "run_id, case_id, repeat, outcome, '' AS output, error_kind, NULL AS error_message, latency_ms, ttft_ms, input_tokens, output_tokens, cost_usd, attempts, cached, tags"
      : '*';
    const results = this.db.prepare(`SELECT ${columns} FROM results WHERE run_id = ? ORDER BY case_id, repeat`).iterate(runId) as IterableIterator<ResultRow>;
    const texts = opts.texts === false ? "NULL AS reason, CASE WHEN error IS NULL THEN NULL ELSE '' END AS error" : 'reason, error';
    const scoreIt = (this.db.prepare(`SELECT case_id, repeat, name, value, pass, meta, ${texts} FROM scores WHERE run_id = ? ORDER BY case_id, repeat, name`)
      .iterate(runId) as IterableIterator<ScoreRow>)[Symbol.iterator]();
    let nextScore = scoreIt.next();
    for (const r of results) {
      const scores: Score[] = [];
      const scoreErrors: ScoreError[] = [];
      // Skip orphan scores that sort before this result (cannot happen with FKs, but stay safe).
      while (!nextScore.done && (nextScore.value.case_id < r.case_id || (nextScore.value.case_id === r.case_id && nextScore.value.repeat < r.repeat))) nextScore = scoreIt.next();
      while (!nextScore.done && nextScore.value.case_id === r.case_id && nextScore.value.repeat === r.repeat) {
        const s = nextScore.value;
        if (s.error === null) scores.push(toScore(s));
        else scoreErrors.push({ name: s.name, message: s.error });
        nextScore = scoreIt.next();
      }
      yield {
        runId: r.run_id, caseId: r.case_id, repeat: r.repeat, outcome: r.outcome, output: r.output, errorKind: r.error_kind,
        errorMessage: r.error_message, latencyMs: r.latency_ms, ttftMs: r.ttft_ms, inputTokens: r.input_tokens,
        outputTokens: r.output_tokens, costUsd: r.cost_usd, attempts: r.attempts, cached: r.cached === 1,
        tags: JSON.parse(r.tags) as string[], scores, scoreErrors,
      };
    }
    if (!nextScore.done) scoreIt.return?.();
  }

  /** The distinct (judge model, rubric hash) pairs behind a run's scores, read in SQL, not by scanning results. */
  judgeIdentities(runId: string): Array<{ judgeModel: string; rubricHash: string }> {
    const rows = this.db.prepare(`SELECT DISTINCT json_extract(meta, '$.judgeModel') AS judge_model, json_extract(meta, '$.rubricHash') AS rubric_hash
      FROM scores WHERE run_id = ? AND meta IS NOT NULL AND json_valid(meta)`).all(runId) as Array<{ judge_model: unknown; rubric_hash: unknown }>;
    return rows.filter((r) => typeof r.judge_model === 'string' && typeof r.rubric_hash === 'string')
      .map((r) => ({ judgeModel: r.judge_model as string, rubricHash: r.rubric_hash as string }));
  }

  setBaseline(suite: string, runId: string, now = new Date()): void {
    this.db.prepare('INSERT INTO baselines (suite, run_id, set_at) VALUES (?, ?, ?) ON CONFLICT(suite) DO UPDATE SET run_id = excluded.run_id, set_at = excluded.set_at')
      .run(suite, runId, now.toISOString());
  }

  getBaseline(suite: string): { runId: string; setAt: string } | undefined {
    const row = this.db.prepare('SELECT run_id, set_at FROM baselines WHERE suite = ?').get(suite) as { run_id: string; set_at: string } | undefined;
    return row ? { runId: row.run_id, setAt: row.set_at } : undefined;
  }

  listBaselines(): Array<{ suite: string; runId: string; setAt: string }> {
    return (this.db.prepare('SELECT suite, run_id, set_at FROM baselines ORDER BY suite').all() as Array<{ suite: string; run_id: string; set_at: string }>)
      .map((r) => ({ suite: r.suite, runId: r.run_id, setAt: r.set_at }));
  }

  saveGateDecision(d: Omit<GateDecisionRecord, 'id' | 'createdAt'>, now = new Date()): number {
    const info = this.db.prepare('INSERT INTO gate_decisions (run_id, baseline_run_id, verdict, policy, result, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(d.runId, d.baselineRunId, d.verdict, JSON.stringify(d.policy), JSON.stringify(d.result), now.toISOString());
    return Number(info.lastInsertRowid);
  }

  listGateDecisions(runId?: string): GateDecisionRecord[] {
    const rows = (runId
      ? this.db.prepare('SELECT * FROM gate_decisions WHERE run_id = ? ORDER BY id DESC').all(runId)
      : this.db.prepare('SELECT * FROM gate_decisions ORDER BY id DESC LIMIT 100').all()) as Array<{
      id: number; run_id: string; baseline_run_id: string | null; verdict: GateDecisionRecord['verdict']; policy: string; result: string; created_at: string;
    }>;
    return rows.map((r) => ({ id: r.id, runId: r.run_id, baselineRunId: r.baseline_run_id, verdict: r.verdict, policy: JSON.parse(r.policy), result: JSON.parse(r.result), createdAt: r.created_at }));
  }
}
