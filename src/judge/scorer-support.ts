import type { z } from 'zod';
import type { Locate } from '../config/yaml-source.js';
import { parseDottedPath, parseOptions } from '../eval/scorers/options.js';
import { ScorerError, type ScoreInput } from '../eval/scorers/types.js';
import { JudgeError, type Judge, type JudgeAnswer, type JudgeTask, type JudgeUsage } from './judge.js';

/** Where a scorer spec sits, for error messages (file + key path). */
export interface SpecLocation {
  file: string;
  path: string;
  /** Locates a key path in the suite file, when it was read from one (line and column in errors). */
  locate?: Locate | undefined;
}

/** Validates a scorer's options, reporting every issue (each unknown option at its own key) with the suite file and key path. */
export function parseScorerOptions<S extends z.ZodType>(schema: S, spec: unknown, at: SpecLocation): z.output<S> {
  return parseOptions(schema, spec, { file: at.file, keyPath: parseDottedPath(at.path), locate: at.locate });
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
