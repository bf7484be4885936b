import { NO_USAGE, type Judge, type JudgeAnswer, type JudgeTask } from './judge.js';

/**
 * The deterministic `sim` judge for demos and tests. It never calls a model: each task answers
 * with its own documented heuristic (token overlap with the expected answer, claims whose
 * content words are absent from the context are unsupported). Its scores are marked synthetic.
 */
export class SimJudge implements Judge {
  readonly synthetic = true;
  constructor(readonly model: string = 'sim:judge') {}
  ask<T>(task: JudgeTask<T>): Promise<JudgeAnswer<T>> {
    return Promise.resolve({ value: task.simulate(), usage: Object.assign({}, NO_USAGE, { cached: false }) });
  }
}
