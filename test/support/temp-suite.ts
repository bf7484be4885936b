import { mkdirSync, mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

/**
 * Writes a synthetic arithmetic suite of `n` cases (answer = a + b, exact scorer) to a temp
 * folder, streaming the JSONL so 100k-case suites cost no memory to make.
 */
export async function writeArithmeticSuite(n: number, opts: { dir?: string; name?: string } = {}): Promise<{ dir: string; suiteDir: string; suiteFile: string }> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'llmops-suite-'));
  const suiteDir = join(dir, opts.name ?? 'arith');
  mkdirSync(suiteDir, { recursive: true });
  const suiteFile = join(suiteDir, 'suite.yaml');
  writeFileSync(suiteFile, [
    `name: ${opts.name ?? 'arith'}`,
    'description: synthetic sums for tests and benchmarks',
    "prompt: 'What is {{a}} + {{b}}? Answer with the number only.'",
    'cases: cases.jsonl',
    'scorers:',
    '  - type: exact',
    '',
  ].join('\n'));
  const out = createWriteStream(join(suiteDir, 'cases.jsonl'));
  for (let i = 0; i < n; i++) {
    const a = (i * 7919) % 1000;
    const b = (i * 104729) % 997;
    const line = `${JSON.stringify({ id: `c${String(i).padStart(6, '0')}`, vars: { a, b }, expected: String(a + b), tags: [i % 3 === 0 ? 'tier:fast' : 'tier:mid'] })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { dir, suiteDir, suiteFile };
}

/** A minimal llmops.yaml next to the suite, with the given models block (YAML text). */
export function writeConfig(dir: string, modelsYaml: string, extra = ''): string {
  const file = join(dir, 'llmops.yaml');
  writeFileSync(file, `version: 1\nmodels:\n${modelsYaml}\n${extra}`);
  return file;
}
