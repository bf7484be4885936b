import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { RunSummary } from '../eval/summary.js';
import type { RunStore } from '../store/run-store.js';
import { writeFileAtomically } from './atomic-write.js';
import { renderMarkdownSummary } from './markdown.js';
import { writeJunit } from './junit.js';

export const OUTPUT_FORMATS = ['.json', '.jsonl', '.xml', '.md'] as const;

/**
 * Rejects what would fail only after the run — an unknown extension, a folder that cannot be
 * created or written — before anything runs, so a typo costs no tokens. Creates nothing.
 */
export function checkOutputPaths(paths: string[]): void {
  for (const p of paths) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(extname(p).toLowerCase())) {
      throw new UsageError(`--output ${p}: unknown format '${extname(p) || '(none)'}'.`, 'Use .json, .jsonl, .xml (JUnit) or .md.');
    }
    checkWritableTarget(p, '--output');
  }
}

/** The file may be written later: it is not a folder, and its folder exists or can be made. */
export function checkWritableTarget(path: string, flag: string): void {
  const file = resolve(path);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${flag} ${path}: is a folder, not a file.`);
  let dir = dirname(file);
  while (!existsSync(dir)) dir = dirname(dir);
  const what = dir === dirname(file) ? 'its folder' : `${dir} (where its folder would be created)`;
  if (!statSync(dir).isDirectory()) throw new UsageError(`${flag} ${path}: ${what} is not a folder.`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${path}: ${what} is not writable.`, 'Pick a path you can write to.');
  }
}

/** Writes each --output file; results are streamed from the store, never held whole. */
export function writeEvalOutputs(paths: string[], summaries: RunSummary[], store: RunStore): void {
  for (const path of paths) {
    const ext = extname(path).toLowerCase();
    if (ext === '.md') writeFileAtomically(path, (w) => w(renderMarkdownSummary(summaries)));
    else if (ext === '.xml') writeJunit(path, summaries, store);
    else if (ext === '.jsonl') {
      writeFileAtomically(path, (w) => {
        for (const s of summaries) {
          for (const r of store.iterateResults(s.runId)) w(`${JSON.stringify({ suite: s.suite, model: s.model, provider: s.provider, synthetic: s.synthetic, ...r })}\n`);
        }
      });
    } else {
      writeFileAtomically(path, (w) => {
        w('{"version":1,"runs":[');
        summaries.forEach((s, i) => {
          w(`${i ? ',' : ''}{"summary":${JSON.stringify(s)},"results":[`);
          let first = true;
          for (const r of store.iterateResults(s.runId)) {
            w(`${first ? '' : ','}${JSON.stringify(r)}`);
            first = false;
          }
          w(']}');
        });
        w(']}\n');
      });
    }
  }
}
