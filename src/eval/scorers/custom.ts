import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { scorerOptions } from './options.js';
import { ScorerError, type Score, type ScoreInput, type Scorer } from './types.js';

export const CustomOptionsSchema = scorerOptions({
  /** Module path relative to the suite: .mjs/.js (ESM), or .ts/.mts when tsx is installed. */
  module: z.string().min(1),
  /** Passed to the function as `input.options`. */
  options: z.record(z.string(), z.unknown()).default({}),
});

/** What a custom scorer function receives: the standard input plus shortcuts. */
export interface CustomScoreInput extends ScoreInput {
  /** The model's answer text. */
  text: string;
  expected: string | undefined;
  vars: Record<string, unknown>;
  options: Record<string, unknown>;
}
/** A custom scorer returns a Score-like object (`pass` required; `value` defaults to 1/0) or a boolean. */
export type CustomResult = boolean | { pass: boolean | null; value?: number; reason?: string; meta?: Record<string, unknown> };
export type CustomScoreFn = (input: CustomScoreInput) => CustomResult | Promise<CustomResult>;

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/** Imports the user's module and finds its scorer function; failures are plain Errors with the reason. */
export async function loadCustomScorer(file: string): Promise<CustomScoreFn> {
  if (!existsSync(file)) throw new Error(`module not found: ${file}`);
  let mod: Record<string, unknown>;
  try {
    if (TS_EXTENSIONS.has(extname(file))) {
      let tsImport: (specifier: string, parent: string) => Promise<unknown>;
      try {
        ({ tsImport } = await import('tsx/esm/api'));
      } catch {
        throw new Error('TypeScript scorers need the `tsx` package (npm install -D tsx); or write the scorer as .mjs');
      }
      mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
    } else mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`cannot load ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  // tsx may wrap a module's exports in one more `default` layer.
  let exp = mod.default;
  if (exp && typeof exp === 'object' && 'default' in exp && typeof exp.default !== 'undefined' && !('score' in exp)) exp = exp.default;
  if (typeof exp === 'function') return exp as CustomScoreFn;
  if (exp && typeof exp === 'object' && typeof (exp as { score?: unknown }).score === 'function') {
    const obj = exp as { score: CustomScoreFn };
    return (input) => obj.score(input);
  }
  throw new Error(`${file} must export default a function (input) => Score, or an object with a score method`);
}

export function resolveModule(suiteDir: string, module: string): string {
  return resolve(suiteDir, module);
}

/**
 * `custom`: a user's function decides. Whatever it throws (or a malformed result) becomes a
 * ScorerError, i.e. outcome `error`, never a fail: a broken scorer must not look like a bad model.
 */
export class CustomScorer implements Scorer {
  readonly type = 'custom';
  readonly gating: boolean;
  readonly name: string;
  constructor(private readonly o: z.output<typeof CustomOptionsSchema>, private readonly fn: CustomScoreFn) {
    this.name = o.name ?? 'custom';
    this.gating = o.gating ?? true;
  }
  async score(input: ScoreInput): Promise<Score> {
    let r: CustomResult;
    try {
      r = await this.fn(Object.assign({}, input, { text: input.output.text, expected: input.case.expected, vars: input.case.vars, options: this.o.options }));
    } catch (err) {
      throw new ScorerError(this.name, `custom scorer ${this.o.module} threw: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (typeof r === 'boolean') return { name: this.name, value: r ? 1 : 0, pass: r };
    const ok = r !== null && typeof r === 'object' && (r.pass === null || typeof r.pass === 'boolean') && (r.value === undefined || (typeof r.value === 'number' && Number.isFinite(r.value)));
    if (!ok) throw new ScorerError(this.name, `custom scorer ${this.o.module} returned ${JSON.stringify(r)?.slice(0, 80)}; expected {pass: boolean|null, value?: number, reason?: string} or a boolean`);
    return {
      name: this.name,
      value: r.value ?? (r.pass ? 1 : 0),
      pass: r.pass,
      ...(typeof r.reason === 'string' ? { reason: r.reason } : {}),
      ...(r.meta && typeof r.meta === 'object' ? { meta: r.meta } : {}),
    };
  }
}
