import { createHash } from 'node:crypto';
import { z } from 'zod';
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

const LabelSchema = z.looseObject({
  id: z.string().min(1),
  output: z.string(),
  label: z.union([z.number().int(), z.boolean()]),
});

export interface LoadedLabels {
  file: string;
  /** Content hash of the labels file, stored with the calibration. */
  hash: string;
  labels: HumanLabel[];
}

/** Reads a labels JSONL file, reporting every bad line (file:line, key) at once. */
export function parseLabels(file: string, text: string): LoadedLabels {
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
    const res = LabelSchema.safeParse(data);
    if (!res.success) {
      for (const iss of res.error.issues) issues.push({ file, line, path: iss.path.join('.') || '(root)', message: iss.message });
      return;
    }
    const prev = seen.get(res.data.id);
    if (prev !== undefined) {
      issues.push({ file, line, path: 'id', message: `case '${res.data.id}' is labelled twice (also line ${prev})` });
      return;
    }
    seen.set(res.data.id, line);
    labels.push({ id: res.data.id, output: res.data.output, label: res.data.label, line });
  });
  if (issues.length) throw new InputError(issues);
  if (labels.length === 0) throw InputError.at({ file }, 'the labels file has no labels', 'One JSON object per line: {"id": "<case id>", "output": "<answer>", "label": 4}');
  return { file, hash: createHash('sha256').update(text).digest('hex').slice(0, 16), labels };
}

export function loadLabels(file: string): LoadedLabels {
  return parseLabels(file, readTextFile(file, 'labels file'));
}
