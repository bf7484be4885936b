import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeArithmeticSuite, writeConfig } from '../support/temp-suite.js';

describe('eval outputs and stored runs', () => {
  it('writes .json, .jsonl, JUnit .xml and .md, and runs list/show read the same store', async () => {
    const { dir, suiteDir } = await writeArithmeticSuite(50);
    const cfg = writeConfig(dir, ['  demo:', '    provider: sim', '    model: simulated', '    price: { input: 1, output: 2 }', '    sim: { accuracy: 0.8, seed: 9 }'].join('\n'));
    const db = join(dir, 'o.db');
    const out = (f: string) => join(dir, f);
    const r = runCli(['--db', db, '--config', cfg, 'eval', suiteDir, '-m', 'demo', '--output', out('r.json'), out('r.jsonl'), out('r.xml'), out('r.md')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('demo (simulated)');

    const json = JSON.parse(readFileSync(out('r.json'), 'utf8')) as { version: number; runs: Array<{ summary: { pass: number; fail: number; error: number; passRateCI: [number, number] }; results: unknown[] }> };
    expect(json.version).toBe(1);
    const s = json.runs[0]!.summary;
    expect(json.runs[0]!.results).toHaveLength(50);
    expect(s.pass + s.fail + s.error).toBe(50);
    expect(s.passRateCI[0]).toBeLessThan(s.pass / (s.pass + s.fail));

    const lines = readFileSync(out('r.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { caseId: string; outcome: string; model: string });
    expect(lines).toHaveLength(50);
    expect(new Set(lines.map((l) => l.caseId)).size).toBe(50);
    expect(lines.filter((l) => l.outcome === 'fail')).toHaveLength(s.fail);

    const xml = readFileSync(out('r.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(50);
    expect((xml.match(/<failure /g) ?? []).length).toBe(s.fail);
    expect(xml).toContain(`tests="50" failures="${s.fail}" errors="${s.error}"`);

    const md = readFileSync(out('r.md'), 'utf8');
    expect(md).toContain('| model | suite | results |');
    expect(md).toContain('*(simulated)*');

    const list = runCli(['--db', db, '--json', 'runs', 'list']);
    const runs = JSON.parse(list.stdout) as Array<{ id: string; counts: { total: number } }>;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.counts.total).toBe(50);
    const show = runCli(['--db', db, 'runs', 'show', runs[0]!.id.slice(0, 8), '--cases', 'failed']);
    expect(show.code, show.stderr).toBe(0);
    expect((show.stdout.match(/^fail /gm) ?? []).length).toBe(s.fail);
  });

  it('--json keeps stdout machine-readable and progress on stderr', async () => {
    const { dir, suiteDir } = await writeArithmeticSuite(10);
    const cfg = writeConfig(dir, ['  demo:', '    provider: sim', '    model: simulated'].join('\n'));
    const r = runCli(['--db', join(dir, 'j.db'), '--config', cfg, '--json', 'eval', suiteDir, '-m', 'demo']);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('runs show on a missing database or run is a clear error', async () => {
    const { dir } = await writeArithmeticSuite(1);
    const r = runCli(['--db', join(dir, 'none.db'), 'runs', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
  });
});
