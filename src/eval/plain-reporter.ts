import { modelLabel } from '../report/model-label.js';
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

/**
 * The pass rate of what this invocation judged so far (errors are neither pass nor fail). Before
 * anything is judged there is no rate, and the text says so instead of showing a bare dash.
 */
export function passText(pass: number, fail: number): string {
  const judged = pass + fail;
  return judged ? `pass ${((pass / judged) * 100).toFixed(1)}%` : 'pass — (0 judged)';
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
        label: `${modelLabel(r.run)} · ${r.run.suite}`,
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
      this.write(`${p.label}: ${p.done}/${p.planned} · ${rate.toFixed(1)}/s · ETA ${eta} · ${passText(p.pass, p.fail)} · errors ${p.error}`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.print();
  }
}
