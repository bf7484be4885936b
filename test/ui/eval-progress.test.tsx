import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { EvalProgress } from '../../src/ui/eval-progress.js';
import { PlainReporter } from '../../src/eval/plain-reporter.js';

describe('eval progress', () => {
  it('the Ink view shows done/total, rate, ETA, pass rate and errors per run', () => {
    const { lastFrame } = render(<EvalProgress elapsedS={12} rows={[
      { id: 'a', label: 'demo-fast (sim) · mixed', planned: 1000, done: 250, pass: 200, fail: 40, error: 10, rate: 50 },
      { id: 'b', label: 'demo-powerful (sim) · mixed', planned: 1000, done: 1000, pass: 950, fail: 50, error: 0, rate: 80 },
    ]} />);
    const frame = lastFrame()!;
    expect(frame).toContain('250/1000');
    expect(frame).toContain('50.0/s ETA 15s');
    expect(frame).toContain('pass 83.3%');
    expect(frame).toContain('errors 10');
    expect(frame).toContain('1000/1000');
    expect(frame).toContain('pass 95.0%');
  });

  it('the Ink view says nothing is judged yet rather than a bare dash, and cuts a long label with an ellipsis', () => {
    const { lastFrame } = render(<EvalProgress elapsedS={1} rows={[
      { id: 'a', label: 'gpt-4o-mini-2024-07-18-replay (replayed) · mixed-traffic', planned: 10, done: 2, pass: 0, fail: 0, error: 2, rate: 2 },
    ]} />);
    const frame = lastFrame()!;
    expect(frame).toContain('pass — (0 judged)');
    expect(frame).not.toContain('—%');
    expect(frame).toContain('gpt-4o-mini-2024-07-18-replay (… ');
    expect(frame.split('\n')).toHaveLength(2); // the run's row, then the elapsed line: nothing wrapped
  });

  it('the plain reporter prints one line per run with counts and rates', () => {
    const lines: string[] = [];
    const rep = new PlainReporter((l) => lines.push(l), 60_000);
    const run = { id: 'r1', batchId: 'b', suite: 's', suiteHash: 'h', model: 'm', provider: 'sim', synthetic: true, status: 'running' as const, planned: 4, params: {}, startedAt: '', finishedAt: null };
    rep.start([{ run, planned: 4, alreadyDone: 1 }]);
    rep.result({ runId: 'r1', caseId: 'a', outcome: 'pass', latencyMs: 1, cached: false, errorKind: null });
    rep.result({ runId: 'r1', caseId: 'b', outcome: 'fail', latencyMs: 1, cached: false, errorKind: null });
    rep.result({ runId: 'r1', caseId: 'c', outcome: 'error', latencyMs: null, cached: false, errorKind: 'timeout' });
    rep.stop();
    expect(lines[0]).toContain('4 results planned, 1 already stored');
    expect(lines[lines.length - 1]).toMatch(/m \(simulated\) · s: 4\/4 · .* · pass 50\.0% · errors 1/);
  });
});
