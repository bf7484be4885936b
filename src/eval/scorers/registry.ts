import type { z } from 'zod';
import type { LoadedConfig } from '../../config/load.js';
import { InputError, type InputIssue } from '../../errors.js';
import { WhenSchema } from '../../suite/schema.js';
import type { ScorerSpec, Suite } from '../../suite/types.js';
import { ConditionalScorer } from './conditional.js';
import { issueAt, locateIssues, parseOptions, specAt, type SpecAt } from './options.js';
import type { Scorer } from './types.js';

export interface ScorerContext {
  /** The suite the specs belong to: relative paths resolve from `suite.dir`, errors point at `suite.file`. */
  suite: Pick<Suite, 'file' | 'dir' | 'source'> & Partial<Suite>;
  /** llmops.yaml (judge model, model refs); absent → built-in defaults. */
  config?: LoadedConfig | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export interface ScorerFactoryContext extends ScorerContext {
  /** Where this spec sits in the suite file. */
  at: SpecAt;
  /** Validates the spec's options against a zod schema; every issue gets file:line:col and key path. */
  parse<S extends z.ZodType>(schema: S, spec: ScorerSpec): z.output<S>;
}

/**
 * Makes a scorer from its spec. Validate every option here (load time), so a bad option stops
 * the run before any model is called; throw InputError (use `ctx.parse`).
 *
 * @example
 * registerScorer('length', (spec, ctx) => {
 *   const o = ctx.parse(scorerOptions({ max: z.number() }), spec);
 *   return { name: o.name ?? 'length', type: 'length', gating: o.gating ?? true,
 *     score: ({ output }) => ({ name: o.name ?? 'length', value: output.text.length, pass: output.text.length <= o.max }) };
 * });
 */
export type ScorerFactory = (spec: ScorerSpec, ctx: ScorerFactoryContext) => Scorer | Promise<Scorer>;

const factories = new Map<string, ScorerFactory>();

/** Registers (or replaces) the factory of a scorer type. Scorers are always created by type name, so stored runs can be re-scored. */
export function registerScorer(type: string, factory: ScorerFactory): void {
  factories.set(type, factory);
}

export function registeredScorerTypes(): string[] {
  return [...factories.keys()].sort();
}

let builtinsLoaded: Promise<void> | undefined;
/** The built-in types register themselves on first use (lazily, so `llmops --help` stays fast). */
function loadBuiltins(): Promise<void> {
  builtinsLoaded ??= import('./builtins.js').then((m) => m.registerBuiltinScorers(registerScorer));
  return builtinsLoaded;
}

/**
 * Creates the scorers of a suite from their specs (from suite.yaml or a stored run), validating
 * every spec first and reporting every issue at once (suite file, line, key path). A spec's
 * `when:` (tags) makes the scorer apply to matching cases only. A hole (`undefined`) is a spec
 * that suite.yaml's schema already rejected: it is skipped, and the others keep their index.
 */
export async function createScorers(specs: ReadonlyArray<ScorerSpec | undefined>, ctx: ScorerContext): Promise<Scorer[]> {
  await loadBuiltins();
  const issues: InputIssue[] = [];
  const scorers: Scorer[] = [];
  const names = new Map<string, number>();
  for (const [i, spec] of specs.entries()) {
    if (spec === undefined) continue;
    const at = specAt(ctx.suite, i);
    const factory = factories.get(spec.type);
    if (!factory) {
      issues.push(issueAt(at, ['type'], `unknown scorer type '${spec.type}' (known: ${registeredScorerTypes().join(', ')})`));
      continue;
    }
    const { when, ...rest } = spec;
    let guard;
    try {
      guard = when === undefined ? undefined : parseOptions(WhenSchema, when, { ...at, keyPath: [...at.keyPath, 'when'] });
      const fctx: ScorerFactoryContext = { ...ctx, at, parse: (schema, s) => parseOptions(schema, s, at) };
      const made = await factory(rest as ScorerSpec, fctx);
      const scorer = guard ? new ConditionalScorer(made, guard) : made;
      const first = names.get(scorer.name);
      if (first !== undefined) issues.push(issueAt(at, ['name'], `scorer name '${scorer.name}' is also used by scorers[${first}]; give one a distinct \`name:\``));
      else names.set(scorer.name, i);
      scorers.push(scorer);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      issues.push(...locateIssues(err, at).issues);
    }
  }
  if (issues.length) throw new InputError(issues);
  return scorers;
}
