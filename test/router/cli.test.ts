import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// Needs the built CLI: `npm run build` first (the npm test script does it).
describe('llmops router (built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmops-router-'));
  const data = join(dir, 'pairs.jsonl');

  beforeAll(() => {
    const r = runCli(['router', 'generate', '--count', '1500', '--seed', '9', '--out', data]);
    expect(r.code).toBe(0);
  });

  it('train is deterministic given the seed: two runs write identical model files', () => {
    const a = runCli(['--json', 'router', 'train', '--data', data, '--out', join(dir, 'a.json'), '--seed', '3', '--epochs', '150']);
    const b = runCli(['router', 'train', '--data', data, '--out', join(dir, 'b.json'), '--seed', '3', '--epochs', '150']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ examples: 1500, seed: 3 });
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
  });

  it('eval --json gives accuracy, confusion matrix, mix, cost against all-powerful and the curve', () => {
    runCli(['router', 'train', '--data', data, '--out', join(dir, 'm.json'), '--seed', '1']);
    const r = runCli(['--json', 'router', 'eval', '--data', 'fixtures/router/eval-pairs.jsonl', '--model', join(dir, 'm.json')]);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as { examples: number; classifierAccuracy: number; confusion: Record<string, Record<string, number>>; routed: { mix: { fast: number; mid: number; powerful: number }; relativeCost: number }; costPerCall: { allPowerful: number }; curve: Array<{ threshold: number }> };
    expect(e.examples).toBe(500);
    expect(e.classifierAccuracy).toBeGreaterThan(0.9);
    const total = Object.values(e.confusion).reduce((s, row) => s + Object.values(row).reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(500);
    expect(e.routed.mix.fast + e.routed.mix.mid + e.routed.mix.powerful).toBeCloseTo(1, 12);
    expect(e.routed.relativeCost).toBeLessThan(1);
    expect(e.costPerCall.allPowerful).toBe(0.021);
    expect(e.curve.map((p) => p.threshold)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  });

  it('explain shows tier, confidence and driving features; overrides from llmops.yaml apply', () => {
    const r = runCli(['--json', 'router', 'explain', 'My card has not arrived yet, what should I do?']);
    expect(r.code).toBe(0);
    const x = JSON.parse(r.stdout) as { tier: string; confidence: number; reason: string; features: Array<{ feature: string; contribution: number }> };
    expect(x).toMatchObject({ tier: 'fast', reason: 'classifier' });
    expect(x.confidence).toBeGreaterThan(0.9);
    expect(x.features).toHaveLength(6);

    writeFileSync(join(dir, 'llmops.yaml'), 'router:\n  confidenceThreshold: 0.8\n  overrides:\n    - { name: legal, tags: [legal-review], tier: powerful }\n');
    const o = runCli(['--config', join(dir, 'llmops.yaml'), 'router', 'explain', '--tags', 'legal-review', 'hello']);
    expect(o.code).toBe(0);
    // What the classifier said is shown for an override too, as for the other reasons.
    expect(o.stdout).toMatch(/^Tier: powerful \(override: legal; classifier said (fast|mid|powerful)\)$/m);
    const plain = runCli(['router', 'explain', 'My card has not arrived yet, what should I do?']);
    expect(plain.stdout).toMatch(/^Tier: fast \(classifier; classifier said fast\)$/m);
  });

  it('the shipped llmops.yaml has the README\'s legal override: tag legal-review routes to powerful by override', () => {
    const r = runCli(['--json', 'router', 'explain', '--tags', 'legal-review', 'Is this clause enforceable?']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ tier: 'powerful', reason: 'override', rule: 'legal' });
    const text = runCli(['router', 'explain', '--tags', 'legal-review', 'What time is it?']);
    expect(text.stdout).toMatch(/^Tier: powerful \(override: legal; classifier said (fast|mid|powerful)\)$/m);
  });

  it('bad training data: exit 2, file, line and key named, nothing written', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"query": "fine", "tier": "fast"}\n{"query": "x", "tier": "gigantic"}\n{"tier": "mid"}\n');
    const out = join(dir, 'never.json');
    const r = runCli(['router', 'train', '--data', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2 (tier): must be one of fast, mid, powerful`);
    expect(r.stderr).toContain(`${bad}:3 (query)`);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('a bad router: section in llmops.yaml is reported with line and key path', () => {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'router:\n  confidenceThreshold: 1.5\n  overrides:\n    - { tags: [x], tier: huge }\n');
    const r = runCli(['--config', cfg, 'router', 'explain', 'hi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:2:24 (router.confidenceThreshold)`);
    expect(r.stderr).toMatch(/bad\.yaml:4:\d+ \(router\.overrides\[0\]\.tier\)/);
  });
});
