import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseYamlText, readTextFile, validateYaml } from '../config/yaml-source.js';
import { contentHash } from './hash.js';
import { templateVariables } from './template.js';

/** Variables every rubric may use besides the case's own `vars`. */
export const RUBRIC_BUILTIN_VARIABLES = ['answer', 'expected', 'context', 'prompt', 'vars'] as const;

export interface RubricScale {
  /** Lowest and highest integer points of the scale (e.g. 1..5). */
  min: number;
  max: number;
  /** Lowest raw score that counts as a pass. */
  pass: number;
}

export interface Rubric {
  file: string;
  /** Identity of the rubric: a changed file gives a new hash, so old and new scores never mix. */
  hash: string;
  scale: RubricScale;
  /** The rubric body: instructions with `{{variables}}`. */
  template: string;
  description?: string | undefined;
}

const FrontMatterSchema = z
  .strictObject({
    scale: z.tuple([z.number().int(), z.number().int()]),
    pass: z.number().int().optional(),
    description: z.string().optional(),
  })
  .superRefine((fm, ctx) => {
    const [min, max] = fm.scale;
    if (max <= min) ctx.addIssue({ code: 'custom', path: ['scale'], message: `scale must be [min, max] with max > min (got [${min}, ${max}])` });
    if (fm.pass !== undefined && (fm.pass < min || fm.pass > max)) {
      ctx.addIssue({ code: 'custom', path: ['pass'], message: `pass must lie on the scale ${min}..${max} (got ${fm.pass})` });
    }
  });

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/**
 * Parses a rubric file: YAML front matter declaring the scale, then the rubric text.
 *
 * @example
 * ---
 * scale: [1, 5]
 * pass: 4
 * ---
 * Rate how well the answer resolves the customer's question {{question}} …
 */
export function parseRubric(file: string, text: string): Rubric {
  const m = FRONT_MATTER.exec(text);
  if (!m) {
    throw InputError.at({ file, line: 1, column: 1 }, 'a rubric starts with YAML front matter declaring its scale, e.g. "---\\nscale: [1, 5]\\npass: 4\\n---"');
  }
  // Parse the front matter on its own but keep the file's line numbers (+1 for the opening ---).
  const src = parseYamlText(file, `\n${m[1] ?? ''}`);
  const fm = validateYaml(src, FrontMatterSchema);
  const template = text.slice(m[0].length).trim();
  const bodyLine = text.slice(0, m[0].length).split('\n').length;
  if (template.length === 0) throw InputError.at({ file, line: bodyLine }, 'the rubric text after the front matter is empty');
  const [min, max] = fm.scale;
  const vars = templateVariables(template);
  if (!vars.includes('answer')) {
    throw InputError.at({ file, line: bodyLine }, 'the rubric never shows the judge the answer: add {{answer}} where the answer should appear');
  }
  return {
    file,
    hash: contentHash(text),
    scale: { min, max, pass: fm.pass ?? max },
    template,
    description: fm.description,
  };
}

export function loadRubric(path: string, baseDir: string): Rubric {
  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  return parseRubric(file, readTextFile(file, 'rubric'));
}

/** Maps a raw score on the scale to 0..1 (what `Score.value` holds for judge scores). */
export function normaliseOnScale(raw: number, scale: Pick<RubricScale, 'min' | 'max'>): number {
  return (raw - scale.min) / (scale.max - scale.min);
}
