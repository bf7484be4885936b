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
}
