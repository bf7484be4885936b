import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';

/** A temp folder with the given files (name → content). */
export function tempSuite(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmops-suite-test-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Awaits a rejection and returns the InputError (fails the test if it is anything else). */
export async function inputErrorOf(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

export const SIMPLE_SUITE = ['name: simple', "prompt: 'Q: {{question}}'", 'cases: cases.jsonl', 'scorers:', '  - type: exact', ''].join('\n');
