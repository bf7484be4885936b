import { createHash } from 'node:crypto';
import { InputError, type InputIssue } from '../../errors.js';
import { readTextFile } from '../../config/yaml-source.js';

/**
 * One human label: the answer a human judged (`output`) for case `id`, and their verdict —
 * a point on the rubric's scale for `llm-judge`, or true (pass) / false (fail) for pass/fail
 * scorers (faithfulness: true = faithful; reference-match: true = matches). Extra keys are kept
 * for the user (e.g. `kind`, `labeller`).
 */
export interface HumanLabel {
  id: string;
  output: string;
  label: number | boolean;
  line: number;
}

/**
 * What a labels file must hold for one calibration: how to read a label (a point on the
 * scorer's scale, or pass/fail) and which case ids exist. parseLabels applies the rules to every
 * line, so their problems are reported together with the file's own (bad JSON, missing keys,
 * duplicates) in one error.
 */
export interface LabelRules {
  /** The label as this calibration reads it, or what is wrong with it, in words a labeller can act on. */
  label(raw: unknown): { value: number | boolean } | { problem: string };
  /** What is wrong with the case id (e.g. no such case in the suite), if anything. */
  id?(id: string): string | undefined;
}

/** Without a scorer to ask: any integer scale point, or true / false. */
export const ANY_LABEL: LabelRules = {
  label(raw) {
    if (typeof raw === 'boolean' || (typeof raw === 'number' && Number.isInteger(raw))) return { value: raw };
    return { problem: `expected an integer point on the rubric scale (e.g. 4) or true / false (pass / fail), got ${describeLabel(raw)}` };
  },
};

/** A label value as the user wrote it, with a word on the usual slips. */
export function describeLabel(raw: unknown): string {
  if (typeof raw === 'string') return `the string ${JSON.stringify(raw)} (write numbers and true/false without quotes)`;
  if (typeof raw === 'number' && !Number.isInteger(raw)) return `${raw} (not a whole point of the scale)`;
  return JSON.stringify(raw);
}

export interface LoadedLabels {
  file: string;
  /** Content hash of the labels file, stored with the calibration. */
  hash: string;
  labels: HumanLabel[];
}

const EXAMPLE = 'One JSON object per line: {"id": "<case id>", "output": "<the answer>", "label": <a point on the rubric scale, e.g. 4 | true | false>}';

/**
 * Reads a labels JSONL file. Every problem — bad JSON, missing or mistyped keys, a case labelled
 * twice, and whatever the `rules` find (unknown case, off the scale) — is collected, each with
 * file:line and key, and reported in one InputError.
 */
export function parseLabels(file: string, text: string, rules: LabelRules = ANY_LABEL): LoadedLabels {
  const issues: InputIssue[] = [];
  const labels: HumanLabel[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (err) {
      issues.push({ file, line, message: `not valid JSON: ${(err as Error).message}` });
      return;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      issues.push({ file, line, path: '(root)', message: `expected a JSON object, got ${Array.isArray(data) ? 'an array' : JSON.stringify(data)}` });
      return;
    }
    const o = data as Record<string, unknown>;
    const before = issues.length;
    const id = typeof o.id === 'string' && o.id !== '' ? o.id : undefined;
    if (id === undefined) issues.push({ file, line, path: 'id', message: `expected the case id (a non-empty string), got ${o.id === undefined ? 'nothing' : JSON.stringify(o.id)}` });
    if (typeof o.output !== 'string') issues.push({ file, line, path: 'output', message: `expected the answer that was labelled (a string), got ${o.output === undefined ? 'nothing' : JSON.stringify(o.output)}` });
    if (id !== undefined) {
      const idProblem = rules.id?.(id);
      if (idProblem !== undefined) issues.push({ file, line, path: 'id', message: idProblem });
      // A duplicate is found even when the line has other problems: one round of fixes.
      const prev = seen.get(id);
      if (prev !== undefined) issues.push({ file, line, path: 'id', message: `case '${id}' is labelled twice (also line ${prev})` });
      else seen.set(id, line);
    }
    const value = o.label === undefined ? { problem: 'missing: give a point on the rubric scale (e.g. 4) or true / false (pass / fail)' } : rules.label(o.label);
    if ('problem' in value) issues.push({ file, line, path: 'label', message: value.problem });
    if (issues.length > before || id === undefined || typeof o.output !== 'string' || 'problem' in value) return;
    labels.push({ id, output: o.output, label: value.value, line });
  });
  if (issues.length) throw new InputError(issues, EXAMPLE);
  if (labels.length === 0) throw InputError.at({ file }, 'the labels file has no labels', EXAMPLE);
  return { file, hash: createHash('sha256').update(text).digest('hex').slice(0, 16), labels };
}

export function loadLabels(file: string, rules?: LabelRules): LoadedLabels {
  return parseLabels(file, readTextFile(file, 'labels file'), rules);
}
