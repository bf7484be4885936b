import { render, type Instance } from 'ink';
import type { EvalReporter, ResultEvent, RunProgressStart } from '../eval/reporter.js';
import { modelLabel } from '../report/model-label.js';
import { EvalProgress, type RunRow } from './eval-progress.js';

/** Live Ink view on a TTY; rerenders at most every 100 ms however fast results arrive. */
export class InkEvalReporter implements EvalReporter {
  private readonly rows = new Map<string, RunRow & { startedDone: number }>();
  private instance: Instance | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly t0 = Date.now();

  start(runs: RunProgressStart[]): void {
    for (const r of runs) {
      this.rows.set(r.run.id, {
        id: r.run.id, label: `${modelLabel(r.run)} · ${r.run.suite}`,
        planned: r.planned, done: r.alreadyDone, pass: 0, fail: 0, error: 0, rate: 0, startedDone: r.alreadyDone,
      });
    }
    this.instance = render(this.view(), { stdout: process.stderr, patchConsole: false, exitOnCtrlC: false });
    this.timer = setInterval(() => this.instance?.rerender(this.view()), 100);
  }

  private view() {
    const elapsed = (Date.now() - this.t0) / 1000;
    const rows = [...this.rows.values()].map((r) => ({ ...r, rate: (r.done - r.startedDone) / Math.max(elapsed, 0.001) }));
    return <EvalProgress rows={rows} elapsedS={elapsed} />;
  }

  result(ev: ResultEvent): void {
    const r = this.rows.get(ev.runId);
    if (!r) return;
    r.done++;
    r[ev.outcome]++;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.instance?.rerender(this.view());
    this.instance?.unmount();
    await this.instance?.waitUntilExit();
  }
}
