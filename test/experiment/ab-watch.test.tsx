import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/experiment/decide.js';
import { formatExperimentLine } from '../../src/experiment/format.js';
import { statusView, type ExperimentStatusView } from '../../src/experiment/view.js';
import { AbWatch } from '../../src/ui/ab-watch.js';
import { DAY, record, spec, thumbsTally } from './helpers.js';

function view(over: Parameters<typeof record>[3] = {}, at = 8 * DAY): ExperimentStatusView {
  const r = record(spec(), thumbsTally(600, 1200), thumbsTally(780, 1200), over);
  return statusView(r, decide(r, at));
}

const tick = () => new Promise((r) => setTimeout(r, 30));

describe('ab watch', () => {
  it('shows the status and follows it until the experiment stops', async () => {
    const updates = [view({ status: 'stopped', outcome: { at: 9 * DAY, kind: 'winner', winner: 'B', reason: 'B promoted' } })];
    let polls = 0;
    const app = render(<AbWatch initial={view({}, 1 * DAY)} intervalMs={10} poll={async () => { polls++; return updates.shift() ?? view(); }} />);
    expect(app.lastFrame()).toContain('Decision: COLLECTING (decision withheld)');
    expect(app.lastFrame()!.replace(/\s+/g, ' ')).toMatch(/lift \+30\.0% \[95% CI \+\d+\.\d%, \+\d+\.\d%\]/); // lines wrap at 100 columns
    // The view exits as soon as it has shown the stop: look for that frame among all rendered ones.
    const stopped = () => app.frames.find((f) => f.includes('Decision: STOPPED'));
    for (let i = 0; i < 50 && !stopped(); i++) await tick();
    expect(stopped()).toContain('Decision: STOPPED');
    expect(stopped()).toContain('Outcome: winner (winner B)');
    await tick();
    expect(polls).toBe(1); // stopped: no more polling
    app.unmount();
  });

  it('plain line for non-TTY output', () => {
    expect(formatExperimentLine(view(), new Date(0))).toMatch(/^1970-01-01T00:00:00.000Z chat significant winner=B thumbs_up A=0\.500 \(n=1200\) B=0\.650 \(n=1200\) lift=\+30\.0% p=[\d.e-]+ srm=ok guardrails=ok$/);
  });
});
