import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open.js';
import { runCli, startGatewayCli } from '../support/cli.js';

// Needs the built CLI (`npm run build`; `npm test` builds first).
const TOKEN = 'cli-test-token';
let dir: string;
let child: ChildProcess;
let url: string;
let stderr: () => string;

const CONFIG = `
gateway:
  upstreams:
    sim-a: { type: sim, model: a, sim: { accuracy: 0.9 } }
    sim-b: { type: sim, model: b }
  deployments:
    chat:
      variants:
        baseline: { upstream: sim-a, weight: 95 }
        candidate: { upstream: sim-b, weight: 5 }
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llmops-gwcli-'));
  writeFileSync(join(dir, 'llmops.yaml'), CONFIG);
  const gw = await startGatewayCli(['--db', join(dir, 'gw.db'), 'gateway', 'start', '--port', '0'], { cwd: dir, env: { LLMOPS_ADMIN_TOKEN: TOKEN } });
  ({ child, url, stderr } = gw);
});

afterAll(async () => {
  if (child?.exitCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = { LLMOPS_ADMIN_TOKEN: TOKEN }) => runCli(['--gateway', url, ...args], { cwd: dir, env });

describe('llmops gateway start + deployments / promote / rollback', () => {
  it('serves a simulated deployment over HTTP', async () => {
    const r = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], user: 'x' }) });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { model: string };
    expect(body.model).toMatch(/^simulated-/);
  });

  it('lists and shows deployments (text and --json)', () => {
    const list = cli(['deployments', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('chat');
    expect(list.stdout).toMatch(/baseline\* 95% → sim-a/);
    const json = cli(['--json', 'deployments', 'show', 'chat']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { variants: unknown[] }).variants).toHaveLength(2);
  });

  it('refuses promote without --yes when not a TTY (exit 2), then promotes and rolls back with --yes', () => {
    const refused = cli(['promote', 'chat']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    const p = cli(['promote', 'chat', '--yes', '--reason', 'looks good']);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('100% to candidate');
    const rb = cli(['rollback', 'chat', '--yes', '--reason', 'quality drop']);
    expect(rb.code).toBe(0);
    expect(rb.stdout).toContain('reason: quality drop');
  });

  it('exit 2 naming LLMOPS_ADMIN_TOKEN for a bad token; exit 3 for an unreachable gateway', () => {
    const bad = cli(['deployments', 'list'], { LLMOPS_ADMIN_TOKEN: 'wrong' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('LLMOPS_ADMIN_TOKEN');
    const down = runCli(['--gateway', 'http://127.0.0.1:9', 'deployments', 'list'], { cwd: dir });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/unreachable/);
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(stderr()).toContain('Gateway stopped cleanly.');
    // The request log's writer thread flushed before the exit: the request served above is on disk.
    const db = openDatabase(join(dir, 'gw.db'), { mustExist: true });
    try {
      expect((db.prepare("SELECT count(*) AS n FROM request_log WHERE deployment = 'chat'").get() as { n: number }).n).toBeGreaterThanOrEqual(1);
    } finally {
      db.close();
    }
  });
});

describe('gateway config errors', () => {
  it('names file, line and key path, and exits 2', () => {
    const d = mkdtempSync(join(tmpdir(), 'llmops-gwcfg-'));
    try {
      writeFileSync(join(d, 'llmops.yaml'), 'gateway:\n  upstreams:\n    a: { type: sim, model: a }\n  deployments:\n    chat:\n      variants:\n        baseline: { upstream: nope, weight: 90 }\n');
      const r = runCli(['gateway', 'start', '--port', '0'], { cwd: d });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/llmops\.yaml:7:\d+ \(gateway\.deployments\.chat\.variants\.baseline\.upstream\): unknown upstream "nope"/);
      expect(r.stderr).toMatch(/gateway\.deployments\.chat\.variants\): weights must sum to 100/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
