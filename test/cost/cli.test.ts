import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// Needs the built CLI: `npm run build` first (the npm test script does it).
describe('llmops cost estimate (built CLI)', () => {
  const args = ['cost', 'estimate', '--calls-per-day', '3000000', '--mix', 'fast=0.7,mid=0.1,powerful=0.2', '--price-per-call', 'fast=0.002,mid=0.007,powerful=0.021'];

  it('reports $18,900/day routed against $63,000/day, a $44,100/day (70%) saving, about $16.1M a year', () => {
    const r = runCli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/unrouted \(all powerful\)\s+\$63,000\.00\s+\$22,995,000\.00/);
    expect(r.stdout).toMatch(/routed\s+\$18,900\.00\s+\$6,898,500\.00/);
    expect(r.stdout).toMatch(/saving\s+\$44,100\.00\s+\$16,096,500\.00/);
    expect(r.stdout).toContain('Routing saves $44,100.00/day (70.0%): $18,900.00/day routed against $63,000.00/day unrouted, about $16.1M a year (365-day year).');
  });

  it('--json prints only JSON with the same figures', () => {
    const r = runCli(['--json', ...args]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { perDay: Record<string, number>; perYear: Record<string, number>; savingShare: number; daysPerYear: number };
    expect(out.perDay).toEqual({ unrouted: 63000, routed: 18900, saving: 44100 });
    expect(out.perYear).toEqual({ unrouted: 22995000, routed: 6898500, saving: 16096500 });
    expect(out.savingShare).toBe(0.7);
    expect(out.daysPerYear).toBe(365);
  });

  it('prices from llmops.yaml models and tokens per call', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmops-cost-'));
    writeFileSync(join(dir, 'llmops.yaml'), 'models:\n  small: { provider: sim, model: s, price: { input: 0.15, output: 0.6 } }\n  big: { provider: sim, model: b, price: { input: 2.5, output: 10 } }\n');
    const r = runCli(['--json', 'cost', 'estimate', '--calls-per-day', '1000', '--mix', 'fast=0.5,powerful=0.5', '--models', 'fast=small,mid=small,powerful=big', '--tokens-per-call', 'input=800,output=300'], { cwd: dir });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { perDay: Record<string, number> };
    // fast $0.0003/call, powerful $0.005/call: routed 500 × 0.0003 + 500 × 0.005 = 2.65; unrouted 5.
    expect(out.perDay).toEqual({ unrouted: 5, routed: 2.65, saving: 2.35 });
  });

  it('bad flags exit 2 with every problem named', () => {
    const r = runCli(['cost', 'estimate', '--calls-per-day', 'lots', '--mix', 'fast=0.7,mid=0.1,powerful=0.1', '--price-per-call', 'fast=1,mid=1,powerful=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--calls-per-day: "lots" is not a non-negative number');
    const r2 = runCli(['cost', 'estimate', '--calls-per-day', '10', '--mix', 'fast=0.7,mid=0.1,powerful=0.1', '--price-per-call', 'fast=1,mid=1,powerful=1']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('--mix: shares must sum to 1 (they sum to 0.9)');
    expect(r2.stdout).toBe('');
  });

  it('a bad --price-per-call hints with prices, not mix shares (cost estimate and router eval)', () => {
    const c = runCli(['cost', 'estimate', '--calls-per-day', '1000', '--mix', 'fast=0.7,mid=0.1,powerful=0.2', '--price-per-call', 'fast=x,mid=0.007,powerful=0.021']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('hint: e.g. --price-per-call fast=0.002,mid=0.007,powerful=0.021');
    expect(c.stderr).not.toContain('fast=0.7,mid=0.1,powerful=0.2');
    const e = runCli(['router', 'eval', '--data', 'fixtures/router/eval-pairs.jsonl', '--price-per-call', 'fast=x,mid=0.007,powerful=0.021']);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('hint: e.g. --price-per-call fast=0.002,mid=0.007,powerful=0.021');
    const m = runCli(['cost', 'estimate', '--calls-per-day', '1000', '--mix', 'fast=x', '--price-per-call', 'fast=1,mid=1,powerful=1']);
    expect(m.stderr).toContain('hint: e.g. --mix fast=0.7,mid=0.1,powerful=0.2');
  });
});
