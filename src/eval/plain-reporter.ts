import type { EvalReporter, ResultEvent, RunProgressStart } from './reporter.js';

interface Progress {
  label: string;
  planned: number;
  done: number;
  pass: number;
  fail: number;
  error: number;
  startedDone: number;
}

/** Periodic one-line progress per run, for CI logs and pipes (no cursor movement). */
export class PlainReporter implements EvalReporter {
  private readonly runs = new Map<string, Progress>();
  private timer: NodeJS.Timeout | null = null;
  private readonly t0 = Date.now();
  constructor(private readonly write: (line: string) => void, private readonly everyMs = 5000) {}

  start(runs: RunProgressStart[]): void {
    for (const r of runs) {
      this.runs.set(r.run.id, {
        label: `${r.run.model}${r.run.synthetic ? ' (simulated)' : ''} · ${r.run.suite}`,
        planned: r.planned, done: r.alreadyDone, pass: 0, fail: 0, error: 0, startedDone: r.alreadyDone,
      });
      this.write(`run ${r.run.id}: ${r.run.model} on ${r.run.suite}, ${r.planned} results planned${r.alreadyDone ? `, ${r.alreadyDone} already stored` : ''}`);
    }
    this.timer = setInterval(() => this.print(), this.everyMs);
    this.timer.unref();
  }

  result(ev: ResultEvent): void {
    const p = this.runs.get(ev.runId);
    if (!p) return;
    p.done++;
    p[ev.outcome]++;
  }

  retry(runId: string, caseId: string, reason: string, delayMs: number): void {
    this.write(`retry ${runId} case ${caseId} in ${Math.round(delayMs)} ms: ${reason}`);
  }

  private print(): void {
    const secs = (Date.now() - this.t0) / 1000;
    for (const p of this.runs.values()) {
      const rate = (p.done - p.startedDone) / Math.max(secs, 0.001);
      const left = p.planned - p.done;
      const eta = rate > 0 ? `${Math.ceil(left / rate)}s` : '?';
      const judged = p.pass + p.fail;
      this.write(`${p.label}: ${p.done}/${p.planned} · ${rate.toFixed(1)}/s · ETA ${eta} · pass ${judged ? ((p.pass / judged) * 100).toFixed(1) : '—'}% · errors ${p.error}`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.print();
  }
}
