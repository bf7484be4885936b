import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { loadYamlFile, validateYaml } from '../config/yaml-source.js';
import { InputError, type InputIssue } from '../errors.js';
import { writeFileAtomically } from '../report/atomic-write.js';
import { inputKey, type CaseLine, type ExistingCases } from './to-cases.js';

/** Where a suite lives, and what is in it already. */
export interface SuiteTarget {
  suiteFile: string;
  casesFile: string;
  exists: boolean;
  existing: ExistingCases;
}

/** `--to suites/x`, `--to suites/x/` or `--to suites/x/suite.yaml`. */
export function suiteFileFor(to: string): string {
  const abs = resolve(to);
  if (/\.ya?ml$/.test(abs)) return abs;
  return join(abs, 'suite.yaml');
}

const AppendableSuiteSchema = z.looseObject({
  name: z.string().min(1),
  prompt: z.string().refine((p) => p.includes('{{question}}'), { message: 'the prompt must use {{question}}: exported review cases carry the request as vars.question' }),
  cases: z.string({ message: 'exported cases are appended to a JSONL file, so `cases` must be a JSONL path (not a dataset mapping)' }).min(1),
});

function readExistingCases(casesFile: string): ExistingCases {
  const ids = new Set<string>();
  const inputs = new Map<string, string>();
  if (!existsSync(casesFile)) return { ids, inputs };
  const issues: InputIssue[] = [];
  readFileSync(casesFile, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      let c: { id?: unknown; vars?: unknown; context?: unknown };
      try {
        c = JSON.parse(text) as typeof c;
      } catch (err) {
        issues.push({ file: casesFile, line: i + 1, message: `not valid JSON: ${(err as Error).message}` });
        return;
      }
      if (typeof c.id !== 'string') {
        issues.push({ file: casesFile, line: i + 1, path: 'id', message: 'a case needs a string id' });
        return;
      }
      ids.add(c.id);
      const vars = c.vars && typeof c.vars === 'object' ? (c.vars as Record<string, unknown>) : {};
      const key = inputKey(vars, typeof c.context === 'string' ? c.context : undefined);
      if (!inputs.has(key)) inputs.set(key, c.id);
    });
  if (issues.length) throw new InputError(issues);
  return { ids, inputs };
}

/** Reads the target suite if it exists (validating that cases can be appended), before anything is written. */
export function openSuiteTarget(to: string): SuiteTarget {
  const suiteFile = suiteFileFor(to);
  if (!existsSync(suiteFile)) {
    if (existsSync(dirname(suiteFile)) && !statSync(dirname(suiteFile)).isDirectory()) throw InputError.at({ file: dirname(suiteFile) }, 'is a file, not a suite folder');
    const casesFile = join(dirname(suiteFile), 'cases.jsonl');
    return { suiteFile, casesFile, exists: false, existing: readExistingCases(casesFile) };
  }
  const src = loadYamlFile(suiteFile, 'suite');
  const suite = validateYaml(src, AppendableSuiteSchema);
  const casesFile = resolve(dirname(suiteFile), suite.cases);
  return { suiteFile, casesFile, exists: true, existing: readExistingCases(casesFile) };
}

// No {{context}}: only some logged requests carry one, and a rubric variable must exist for every case.
const ACCURACY_RUBRIC = `---
scale: [1, 5]
pass: 4
description: Accuracy as human reviewers grade it in \`llmops review grade\`.
---
You are checking an assistant's answer for accuracy.

Request:
{{question}}

Answer approved or corrected by a human reviewer:
{{expected}}

Answer to grade:
{{answer}}

Score the answer's accuracy from 1 to 5, as the human reviewers do:
5 = fully correct.
4 = correct, with a minor slip that would not mislead.
3 = partly correct.
2 = mostly wrong.
1 = wrong or made up.
`;

function quote(s: string): string {
  return JSON.stringify(s);
}

/** suite.yaml for a new review suite: reference-match gates; the accuracy rubric exists for judge calibration. */
export function newSuiteYaml(name: string, judge: string | undefined, system: string | undefined): string {
  const judgeLine = judge === undefined ? [] : [`    judge: ${quote(judge)}`];
  return [
    '# Written by `llmops review export`: cases from the weekly human review of logged traffic.',
    '# Expected answers are reviewer-corrected answers, or logged answers reviewers graded accurate (≥ 4/5).',
    `name: ${quote(name)}`,
    'description: Logged requests graded by human reviewers.',
    ...(system === undefined ? [] : [`system: ${quote(system)}`]),
    "prompt: '{{question}}'",
    'cases: cases.jsonl',
    'scorers:',
    '  # Judge scorers use llmops.yaml `judge.model` unless a scorer names its own `judge:`.',
    '  - type: reference-match',
    ...judgeLine,
    '  # Not gating: there so `llmops judge calibrate --scorer accuracy --labels …` can check the',
    '  # judge against the reviewers\' accuracy grades (`llmops review export --labels`).',
    '  - type: llm-judge',
    '    name: accuracy',
    '    rubric: rubrics/accuracy.md',
    '    gating: false',
    ...judgeLine,
    '',
  ].join('\n');
}

/** Every file `writeSuite` would write for these cases (none when there is nothing to add), to check before writing any. */
export function suiteWrites(target: SuiteTarget, added: ReadonlyArray<CaseLine>): string[] {
  if (added.length === 0) return [];
  const dir = dirname(target.suiteFile);
  return target.exists ? [target.casesFile] : [target.casesFile, join(dir, 'rubrics', 'accuracy.md'), target.suiteFile];
}

/**
 * Writes the new cases: appends to the cases file (rewritten atomically, so a crash never
 * leaves half a line), and for a new suite also writes suite.yaml and the accuracy rubric.
 */
export function writeSuite(target: SuiteTarget, added: ReadonlyArray<CaseLine>, opts: { judge?: string | undefined }): void {
  // Nothing to add: leave the suite (or its absence) as it is; an empty suite is not useful.
  if (added.length === 0) return;
  mkdirSync(dirname(target.casesFile), { recursive: true });
  const before = existsSync(target.casesFile) ? readFileSync(target.casesFile, 'utf8') : '';
  writeFileAtomically(target.casesFile, (append) => {
    if (before !== '') append(before.endsWith('\n') ? before : `${before}\n`);
    for (const c of added) append(`${JSON.stringify(c)}\n`);
  });
  if (!target.exists) {
    const dir = dirname(target.suiteFile);
    const systems = new Set(added.map((c) => c.vars.system));
    const system = systems.size === 1 ? [...systems][0] : undefined;
    mkdirSync(join(dir, 'rubrics'), { recursive: true });
    const rubric = join(dir, 'rubrics', 'accuracy.md');
    if (!existsSync(rubric)) writeFileAtomically(rubric, (append) => append(ACCURACY_RUBRIC));
    writeFileAtomically(target.suiteFile, (append) => append(newSuiteYaml(basename(dir), opts.judge, system)));
  }
}
