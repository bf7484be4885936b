import type { YamlSource } from '../config/yaml-source.js';

/** One labelled case. Ids are stable and unique within a suite. */
export interface Case {
  id: string;
  vars: Record<string, unknown>;
  expected?: string | undefined;
  context?: string | undefined;
  tags: string[];
  /** Where the case was read from, for error messages. */
  source?: { file: string; line: number } | undefined;
}

export interface ScorerSpec {
  /** Registered scorer type: exact, contains, regex, numeric, json, latency, cost, custom, llm-judge, … */
  type: string;
  /** Name under which its score is stored; defaults to the type. */
  name?: string | undefined;
  /** Whether this scorer's pass/fail decides the case outcome (default true for correctness scorers). */
  gating?: boolean | undefined;
  [option: string]: unknown;
}

/** Where the cases come from: a suite-native JSONL file, or a mapping over an external dataset. */
export type CaseSourceSpec =
  | { kind: 'jsonl'; file: string }
  | { kind: 'dataset'; file: string; mapping: DatasetMapping };

/** How records of an external JSONL/CSV dataset become cases (suite.yaml `cases:` mapping). */
export interface DatasetMapping {
  format: 'jsonl' | 'csv';
  /** A field name, or `line`: the 1-based line number the record starts on (stable while the file is). */
  id: string;
  idPrefix: string;
  /** Case variable name → record field (dotted path for JSONL). Absent: every field becomes a var. */
  vars: Record<string, string> | undefined;
  expected: string | undefined;
  /** Compiled from `expectedPattern`: group 1 of the first match is the expected answer. */
  expectedPattern: RegExp | undefined;
  context: string | undefined;
  /** A field holding a tag or a list of tags, or fixed tags added to every case. */
  tags: { field: string } | { fixed: string[] } | undefined;
  stripCommas: boolean;
  trim: boolean;
}

export interface Suite {
  name: string;
  /** Absolute path of suite.yaml. */
  file: string;
  /** Folder of suite.yaml; relative paths in the suite resolve from here. */
  dir: string;
  description?: string | undefined;
  system?: string | undefined;
  prompt: string;
  scorers: ScorerSpec[];
  /** Raw gate policy from the suite (validated by gate/). */
  gates?: Record<string, unknown> | undefined;
  /** Content hash of suite.yaml + cases, stored with each run. */
  hash: string;
  /** Number of cases (cases themselves are streamed with `iterateCases`). */
  caseCount: number;
  /** Where `iterateCases` reads the cases from. */
  caseSource?: CaseSourceSpec | undefined;
  /** The parsed suite.yaml, to point later errors (scorer options, gates) at file:line:col. */
  source?: YamlSource | undefined;
  /** Template variables the prompt and system message reference (dotted paths). */
  variables?: string[] | undefined;
}
