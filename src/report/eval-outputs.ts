import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { whyNotWritable } from '../util/writable.js';
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
    const why = whyNotWritable(p);
    if (why !== undefined) throw new UsageError(`--output ${p}: ${why}.`, 'Pick a path you can write to.');
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
