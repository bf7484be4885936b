import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { InputError, type InputIssue } from '../errors.js';
import { loadYamlFile, validateYaml, type YamlSource } from '../config/yaml-source.js';
import { readCaseRecords } from './read-cases.js';
import { caseScope } from './render.js';
import { DatasetMappingSchema, SuiteFileSchema, type DatasetMappingInput, type SuiteFile } from './schema.js';
import { compileTemplate, lookupPath } from './template.js';
import type { CaseSourceSpec, Suite } from './types.js';

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

type Definition = Omit<SuiteFile, 'cases'> & { cases: string | DatasetMappingInput };

/** suite.yaml against its schema, and a `cases:` mapping against its own, reporting both sets of issues together. */
function validateDefinition(source: YamlSource): Definition {
  const issues: InputIssue[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      issues.push(...err.issues);
      return undefined;
    }
  };
  const def = attempt(() => validateYaml(source, SuiteFileSchema));
  const raw = (source.data as { cases?: unknown } | null)?.cases;
  const mapping = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? attempt(() => validateYaml({ ...source, data: raw }, DatasetMappingSchema, ['cases'])) : undefined;
  if (issues.length || !def) throw new InputError(issues);
  return { ...def, cases: typeof def.cases === 'string' ? def.cases : mapping! };
}

function caseSourceOf(def: Definition, dir: string): CaseSourceSpec {
  if (typeof def.cases === 'string') return { kind: 'jsonl', file: resolve(dir, def.cases) };
  const c = def.cases;
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

/**
 * Loads and validates a suite: suite.yaml against its schema, then every case in one streaming
 * pass (malformed lines, missing or duplicate ids, template variables a case lacks), computing
 * the content hash (sha256 of suite.yaml + case file bytes) and the case count. Throws one
 * InputError listing every issue (file, line, key path); nothing is returned half-valid.
 */
export async function loadSuite(pathToSuiteYamlOrFolder: string): Promise<Suite> {
  const file = suiteFilePath(pathToSuiteYamlOrFolder);
  const dir = dirname(file);
  const source: YamlSource = loadYamlFile(file, 'suite');
  const def = validateDefinition(source);
  const caseSource = caseSourceOf(def, dir);

  const issues = new IssueList();
  const templates: Array<{ key: 'prompt' | 'system'; variables: string[] }> = [{ key: 'prompt', variables: compileTemplate(def.prompt).variables }];
  if (def.system !== undefined) templates.push({ key: 'system', variables: compileTemplate(def.system).variables });
  const variables = [...new Set(templates.flatMap((t) => t.variables))];

  // The definition is hashed as parsed, so editing a comment does not make stored runs of the
  // suite incomparable (or block --resume); any change to a key, the prompt or a case does.
  const hash = createHash('sha256').update(JSON.stringify(source.data)).update('\0');
  const firstLineOfId = new Map<string, number>();
  const missing = new Map<string, { count: number; issues: InputIssue[] }>(variables.map((v) => [v, { count: 0, issues: [] }]));
  const varNames = new Set<string>();
  let caseCount = 0;
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
      if (m.issues.length < MAX_ISSUES) m.issues.push({ file: caseSource.file, line, path: `vars.${v}`, message: `case '${c.id}' has no variable '${v}', which the ${templates.find((t) => t.variables.includes(v))!.key} uses` });
    }
  }
  if (caseCount === 0 && issues.total === 0) issues.add({ file: caseSource.file, message: 'no cases: the file is empty' });
  for (const [v, m] of missing) {
    if (m.count === 0) continue;
    const key = templates.find((t) => t.variables.includes(v))!.key;
    if (m.count === caseCount) {
      const have = [...varNames].sort().join(', ') || 'none';
      issues.add({ file, ...source.locate([key]), path: key, message: `{{${v}}} is not a variable of any case (case variables: ${have}; also id, context)` });
    } else issues.add(...m.issues);
  }
  issues.throwIfAny(file);

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
