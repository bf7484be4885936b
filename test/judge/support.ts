import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Case } from '../../src/suite/types.js';

export const SUITE_DIR = fileURLToPath(new URL('../../suites/support-rag/', import.meta.url));

/** The generated support-rag cases, read straight from the suite's JSONL. */
export function supportRagCases(): Map<string, Case> {
  const lines = readFileSync(`${SUITE_DIR}cases.jsonl`, 'utf8').trim().split('\n');
  return new Map(
    lines.map((l) => {
      const c = JSON.parse(l) as { id: string; vars: Record<string, unknown>; expected: string; context: string; tags: string[] };
      return [c.id, { id: c.id, vars: c.vars, expected: c.expected, context: c.context, tags: c.tags }];
    }),
  );
}

/** The suite's prompt, rendered the way the suite declares it (context + question). */
export function supportRagPrompt(c: Case): string {
  return `Help-centre context:\n${c.context ?? ''}\n\nCustomer question: ${String(c.vars.question)}\n`;
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as T);
}
