import type { z } from 'zod';
import { InputError } from '../errors.js';
import { ScorerError, type ScoreInput } from '../eval/scorers/types.js';
import { JudgeError, type Judge, type JudgeAnswer, type JudgeTask, type JudgeUsage } from './judge.js';

/** Where a scorer spec sits, for error messages (file + key path). */
export interface SpecLocation {
  file: string;
  path: string;
}

/** Validates a scorer's options, reporting every issue with the suite file and key path. */
export function parseScorerOptions<S extends z.ZodType>(schema: S, spec: unknown, at: SpecLocation): z.output<S> {
  const res = schema.safeParse(spec);
  if (res.success) return res.data;
  throw new InputError(
    res.error.issues.map((i) => ({ file: at.file, path: [at.path, ...i.path.map(String)].join('.'), message: i.message })),
  );
}

/** Asks the judge; a judge that could not answer becomes a ScorerError (outcome `error`, never a pass). */
export async function askJudge<T>(judge: Judge, task: JudgeTask<T>, scorerName: string): Promise<JudgeAnswer<T>> {
  try {
    return await judge.ask(task);
  } catch (err) {
    if (err instanceof JudgeError) throw new ScorerError(scorerName, err.message, { cause: err });
    throw err;
  }
}

/**
 * The meta every judge score carries: which judge and which rubric produced it (so a changed
 * rubric or judge never mixes with old scores) and what judging cost, apart from the candidate.
 */
export function judgeMeta(judge: Judge, rubricHash: string, usage: JudgeUsage): Record<string, unknown> {
  return {
    judgeModel: judge.model,
    judgeSynthetic: judge.synthetic,
    rubricHash,
    judgeCalls: usage.calls,
    judgeInputTokens: usage.inputTokens,
    judgeOutputTokens: usage.outputTokens,
    judgeCostUsd: usage.costUsd,
    judgeCached: usage.cached,
  };
}

/** The question the candidate answered: the rendered prompt. */
export function questionOf(input: ScoreInput): string {
  return input.prompt;
}
