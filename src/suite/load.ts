import { createHash, type Hash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { InputError, type InputIssue } from '../errors.js';
import { loadYamlFile, validateYaml, type YamlSource } from '../config/yaml-source.js';
import { readCaseRecords } from './read-cases.js';
import { caseScope } from './render.js';
import type { z } from 'zod';
import { DatasetMappingSchema, ScorerSpecSchema, SuiteFileSchema, type DatasetMappingInput, type SuiteFile } from './schema.js';
import { compileTemplate, lookupPath } from './template.js';
import type { CaseSourceSpec, ScorerSpec, Suite } from './types.js';

/** Issues listed in one error; the rest are counted, so a broken 100k-line file stays readable. */
export const MAX_ISSUES = 50;

/** `suites/x` or `suites/x/suite.yaml` → the absolute suite.yaml path. */
export function suiteFilePath(pathToSuiteYamlOrFolder: string): string {
  const p = resolve(pathToSuiteYamlOrFolder);
  try {
    if (statSync(p).isDirectory()) return join(p, 'suite.yaml');
  } catch {
    // Not there: loadYamlFile reports it with the path the user gave.
  }
  return p;
}

/** `cases:` as written: a JSONL path, or a validated mapping over a dataset. */
type CasesSpec = string | DatasetMappingInput;

/** The parts of suite.yaml that are valid, each checked on its own, so one bad key does not hide what the others allow to check. */
interface Parts {
  /** The whole definition, when the file is valid. */
  def: SuiteFile | undefined;
  prompt: string | undefined;
  system: string | undefined;
  /** A hole is a spec the schema rejected (already reported), so the others can still be checked. */
  scorers: Array<ScorerSpec | undefined> | undefined;
  cases: CasesSpec | undefined;
}

function validOrUndefined<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const res = schema.safeParse(value);
  return res.success ? res.data : undefined;
}

/**
 * suite.yaml against its schema, and a `cases:` mapping against its own, adding both sets of
 * issues to `issues`. Returns the parts that are valid even when the whole is not.
 */
function validateDefinition(source: YamlSource, issues: IssueList): Parts {
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      issues.add(...err.issues);
      return undefined;
    }
  };
  const def = attempt(() => validateYaml(source, SuiteFileSchema));
  const raw: Record<string, unknown> = source.data !== null && typeof source.data === 'object' && !Array.isArray(source.data) ? source.data as Record<string, unknown> : {};
  const mapping = raw.cases !== null && typeof raw.cases === 'object' && !Array.isArray(raw.cases)
    ? attempt(() => validateYaml({ ...source, data: raw.cases }, DatasetMappingSchema, ['cases']))
    : undefined;
  const cases = typeof raw.cases === 'string' ? validOrUndefined(SuiteFileSchema.shape.cases, raw.cases) as string | undefined : mapping;
  if (def) return { def, prompt: def.prompt, system: def.system, scorers: def.scorers, cases };
  const shape = SuiteFileSchema.shape;
  const scorers = Array.isArray(raw.scorers) ? raw.scorers.map((spec: unknown) => validOrUndefined(ScorerSpecSchema, spec)) : undefined;
  return { def, prompt: validOrUndefined(shape.prompt, raw.prompt), system: validOrUndefined(shape.system, raw.system), scorers, cases };
}

function caseSourceOf(cases: CasesSpec, dir: string): CaseSourceSpec {
  if (typeof cases === 'string') return { kind: 'jsonl', file: resolve(dir, cases) };
  const c = cases;
  const file = resolve(dir, c.path);
  return {
    kind: 'dataset',
    file,
    mapping: {
      format: c.format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'jsonl'),
      id: c.id,
      idPrefix: c.idPrefix,
      vars: c.vars,
      expected: c.expected,
      expectedPattern: c.expectedPattern === undefined ? undefined : new RegExp(c.expectedPattern),
      context: c.context,
      tags: c.tags === undefined ? undefined : typeof c.tags === 'string' ? { field: c.tags } : { fixed: c.tags },
      stripCommas: c.stripCommas,
      trim: c.trim,
    },
  };
}

class IssueList {
  readonly kept: InputIssue[] = [];
  total = 0;
  add(...issues: InputIssue[]): void {
    for (const i of issues) {
      this.total++;
      if (this.kept.length < MAX_ISSUES) this.kept.push(i);
    }
  }
  throwIfAny(file: string): void {
    if (this.total === 0) return;
    const more = this.total - this.kept.length;
    throw new InputError(more > 0 ? [...this.kept, { file, message: `…and ${more} more` }] : this.kept);
  }
}

export interface LoadSuiteOptions {
  /**
   * More checks of the scorer specs (eval creates the scorers here, validating their options),
   * so their problems are listed with the suite's own. Runs whenever `scorers:` is a list, even
   * if other keys are not valid; a spec the schema rejected is a hole (`undefined`) that keeps
   * the others at their index. Report problems by throwing InputError.
   */
  checkScorers?: ((specs: ReadonlyArray<ScorerSpec | undefined>, suite: Pick<Suite, 'file' | 'dir' | 'source'>) => void | Promise<void>) | undefined;
}

/**
 * Loads and validates a suite: suite.yaml against its schema, its scorers (`checkScorers`), and
 * every case in one streaming pass (malformed lines, missing or duplicate ids, template variables
 * a case lacks), computing the content hash (sha256 of suite.yaml + case file bytes) and the case
 * count. Each part is checked as far as the valid parts of suite.yaml allow, and one InputError
 * lists every issue (file, line, key path), so the user fixes them in one go; nothing is
 * returned half-valid. Only a YAML syntax error stops before the schema.
 */
export async function loadSuite(pathToSuiteYamlOrFolder: string, opts: LoadSuiteOptions = {}): Promise<Suite> {
  const file = suiteFilePath(pathToSuiteYamlOrFolder);
  const dir = dirname(file);
  const source: YamlSource = loadYamlFile(file, 'suite');
  const issues = new IssueList();
  const parts = validateDefinition(source, issues);
  if (parts.scorers && opts.checkScorers) {
    try {
      await opts.checkScorers(parts.scorers, { file, dir, source });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      issues.add(...err.issues);
    }
  }

  const templates: Array<{ key: 'prompt' | 'system'; variables: string[] }> = [];
  if (parts.prompt !== undefined) templates.push({ key: 'prompt', variables: compileTemplate(parts.prompt).variables });
  if (parts.system !== undefined) templates.push({ key: 'system', variables: compileTemplate(parts.system).variables });
  const variables = [...new Set(templates.flatMap((t) => t.variables))];

  // The definition is hashed as parsed, so editing a comment does not make stored runs of the
  // suite incomparable (or block --resume); any change to a key, the prompt or a case does.
  const hash = createHash('sha256').update(JSON.stringify(source.data)).update('\0');
  const caseSource = parts.cases === undefined ? undefined : caseSourceOf(parts.cases, dir);
  let caseCount = 0;
  if (caseSource) caseCount = await checkCases(caseSource, file, source, templates, variables, issues, hash);
  issues.throwIfAny(file);
  // No issue: the whole definition and its cases are valid.
  const def = parts.def!;
  return {
    name: def.name,
    file,
    dir,
    description: def.description,
    system: def.system,
    prompt: def.prompt,
    scorers: def.scorers,
    gates: def.gates,
    hash: hash.digest('hex'),
    caseCount,
    caseSource,
    source,
    variables,
  };
}

/**
 * One streaming pass over the cases: every malformed record, duplicate id and template variable
 * a case lacks (reported once, at the template, when no case has it). Returns the case count.
 */
async function checkCases(
  caseSource: CaseSourceSpec, file: string, source: YamlSource, templates: ReadonlyArray<{ key: 'prompt' | 'system'; variables: string[] }>,
  variables: readonly string[], issues: IssueList, hash: Hash,
): Promise<number> {
  const before = issues.total;
  const firstLineOfId = new Map<string, number>();
  const missing = new Map<string, { count: number; issues: InputIssue[] }>(variables.map((v) => [v, { count: 0, issues: [] }]));
  const varNames = new Set<string>();
  const usedBy = (v: string) => templates.find((t) => t.variables.includes(v))!.key;
  let caseCount = 0;
  try {
    for await (const r of readCaseRecords(caseSource, (chunk) => hash.update(chunk))) {
      if (r.issues) {
        issues.add(...r.issues);
        continue;
      }
      const c = r.case;
      const line = c.source?.line ?? 0;
      caseCount++;
      const first = firstLineOfId.get(c.id);
      if (first !== undefined) issues.add({ file: caseSource.file, line, path: 'id', message: `duplicate id '${c.id}' (first on line ${first})` });
      else firstLineOfId.set(c.id, line);
      if (caseCount <= 1000) for (const k of Object.keys(c.vars)) varNames.add(k);
      const scope = caseScope(c);
      for (const v of variables) {
        if (lookupPath(scope, v.split('.')) !== undefined) continue;
        const m = missing.get(v)!;
        m.count++;
        if (m.issues.length < MAX_ISSUES) m.issues.push({ file: caseSource.file, line, path: `vars.${v}`, message: `case '${c.id}' has no variable '${v}', which the ${usedBy(v)} uses` });
      }
    }
  } catch (err) {
    // An unreadable file or a malformed CSV stops the pass, not the other checks' report.
    if (!(err instanceof InputError)) throw err;
    issues.add(...err.issues);
    return caseCount;
  }
  if (caseCount === 0 && issues.total === before) issues.add({ file: caseSource.file, message: 'no cases: the file is empty' });
  for (const [v, m] of missing) {
    if (m.count === 0) continue;
    const key = usedBy(v);
    if (m.count === caseCount) {
      const have = [...varNames].sort().join(', ') || 'none';
      issues.add({ file, ...source.locate([key]), path: key, message: `{{${v}}} is not a variable of any case (case variables: ${have}; also id, context)` });
    } else issues.add(...m.issues);
  }
  return caseCount;
}
