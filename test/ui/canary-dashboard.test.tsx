import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { CanaryController } from '../../src/canary/controller.js';
import { InProcessWindows } from '../../src/canary/in-process-windows.js';
import { MemoryCanaryStore, MemoryTrafficControl } from '../../src/canary/memory-traffic.js';
import { parsePlan } from '../../src/canary/plan.js';
import { defaultPolicy } from '../../src/canary/policy.js';
import { metricRows } from '../../src/canary/view-model.js';
import { CanaryDashboard, type DashboardAction } from '../../src/ui/canary-dashboard.js';
import { HEALTHY, TrafficSim } from '../canary/traffic-sim.js';

const tick = (ms = 150) => new Promise((r) => setTimeout(r, ms));

/** A real controller over simulated traffic, its candidate's errors at 12%: the dashboard shows live numbers. */
async function rig() {
  const clock = { now: 1_000_000 };
  const windows = new InProcessWindows(60_000);
  const traffic = new MemoryTrafficControl({ chat: 'old' });
  const controller = new CanaryController({ traffic, metrics: windows, store: new MemoryCanaryStore(), policy: defaultPolicy({ windowsMs: [30_000], alpha: 1e-300 }), now: () => clock.now });
  controller.start({ deployment: 'chat', candidate: 'new', plan: parsePlan('25:10m,100') });
  const sim = new TrafficSim(windows, 'chat', 100);
  for (let i = 0; i < 30; i++) {
    clock.now += 1000;
    sim.second(clock.now, 25, (v) => (v === 'candidate' ? { ...HEALTHY, errorRate: 0.12 } : HEALTHY));
    if (i % 5 === 4) await controller.tick();
  }
  const acts: DashboardAction[] = [];
  const props = {
    initial: controller.status('chat'),
    poll: () => Promise.resolve(controller.status('chat')),
    act: (a: DashboardAction) => {
      acts.push(a);
      return Promise.resolve(a === 'promote' ? controller.promote('chat') : a === 'rollback' ? controller.rollback('chat', 'from the dashboard') : a === 'pause' ? controller.pause('chat') : controller.resume('chat'));
    },
    intervalMs: 20,
  };
  return { controller, traffic, props, acts };
}

describe('canary dashboard (Ink)', () => {
  it('shows stage, time left, split, per-variant metrics with sparklines and the event log', async () => {
    const { props } = await rig();
    const app = render(<CanaryDashboard {...props} />);
    const frame = app.lastFrame()!;
    expect(frame).toContain('chat: new vs old · stage 25% (25% → 100%) · running · 9m 30s left in stage');
    expect(frame).toContain('traffic: old 75% · new 25%');
    for (const label of ['req/s', 'error %', 'p50', 'p95', 'p99', 'quality', 'hallucination', 'thumbs-up %', 'cost/request']) expect(frame).toContain(label);
    expect(frame).toMatch(/error %\s+\d+\.\d%\s+1\d\.\d%/);
    expect(frame).toMatch(/[▁▂▃▄▅▆▇█]{3,}/);
    expect(frame).toContain('started');
    expect(frame).toContain('p promote · r rollback · space pause · q quit');
    app.unmount();
  });

  it('the event log shows a baseline surge (a shared outage), its kinds aligned', async () => {
    const clock = { now: 1_000_000 };
    const windows = new InProcessWindows(300_000);
    const traffic = new MemoryTrafficControl({ chat: 'old' });
    const controller = new CanaryController({ traffic, metrics: windows, store: new MemoryCanaryStore(), policy: defaultPolicy(), now: () => clock.now });
    controller.start({ deployment: 'chat', candidate: 'new', plan: parsePlan('50:1h,100') });
    const sim = new TrafficSim(windows, 'chat', 100);
    for (let i = 0; i < 130; i++) {
      clock.now += 1000;
      sim.second(clock.now, 50, () => (i >= 120 ? { ...HEALTHY, errorRate: 0.5 } : HEALTHY));
      if (i % 5 === 4) await controller.tick();
    }
    const app = render(<CanaryDashboard initial={controller.status('chat')} poll={() => Promise.resolve(controller.status('chat'))} act={() => Promise.reject(new Error('no actions here'))} intervalMs={20} />);
    const lines = app.lastFrame()!.split('\n');
    const started = lines.find((l) => / started {8}canary of new started at 50%/.test(l));
    const surge = lines.find((l) => / baseline_surge baseline errors surged: \d+\/\d+ in the last 5s/.test(l));
    expect(started).toBeDefined();
    expect(surge).toBeDefined();
    expect(controller.status('chat').phase).toBe('stage');
    app.unmount();
  });

  it('r asks to confirm; n cancels, y rolls back', async () => {
    const { props, acts, traffic } = await rig();
    const app = render(<CanaryDashboard {...props} />);
    app.stdin.write('r');
    await tick();
    expect(app.lastFrame()).toContain('Roll back new, all traffic to old? (y/n)');
    app.stdin.write('n');
    await tick();
    expect(app.lastFrame()).toContain('rollback cancelled');
    expect(acts).toEqual([]);
    app.stdin.write('r');
    await tick();
    app.stdin.write('y');
    await tick(250);
    expect(acts).toEqual(['rollback']);
    expect(app.lastFrame()).toContain('rolled back');
    expect(app.lastFrame()).toContain('reason: from the dashboard');
    expect(traffic.weights.get('chat')).toEqual({ old: 100 }); // the rolled-back candidate left the deployment
    app.unmount();
  });

  it('p asks to confirm then promotes; space pauses and resumes', async () => {
    const { props, acts } = await rig();
    const app = render(<CanaryDashboard {...props} />);
    app.stdin.write(' ');
    await tick(250);
    expect(app.lastFrame()).toContain('PAUSED');
    expect(app.lastFrame()).toContain('space resume');
    app.stdin.write(' ');
    await tick(250);
    expect(app.lastFrame()).toContain('running');
    app.stdin.write('p');
    await tick();
    expect(app.lastFrame()).toContain('Promote new to 100% now? (y/n)');
    app.stdin.write('y');
    await tick(250);
    expect(acts).toEqual(['pause', 'resume', 'promote']);
    expect(app.lastFrame()).toContain('100% (promoted)');
    app.unmount();
  });

  it('marks a metric past its trigger as alert (red) and quits on q', async () => {
    const { props } = await rig();
    const rows = metricRows(props.initial);
    expect(rows.find((r) => r.label === 'error %')!.level).toBe('alert');
    expect(rows.find((r) => r.label === 'p95')!.level).toBe('ok');
    const app = render(<CanaryDashboard {...props} />);
    app.stdin.write('q');
    await tick();
    app.unmount();
  });
});
