import { ProviderError, type Provider } from '../providers/types.js';
import type { ScoreInput } from '../eval/scorers/types.js';

/** Where the pairwise scorer gets the baseline's answer for the same case. */
export interface BaselineSource {
  /** Label stored in score meta (model ref or `vars.<name>`). */
  readonly label: string;
  answerFor(input: ScoreInput): Promise<string>;
}

/** The baseline answer is stored in the case itself (e.g. the production system's answer). */
export class CaseVarBaseline implements BaselineSource {
  readonly label: string;
  constructor(private readonly variable: string) {
    this.label = `vars.${variable}`;
  }
  answerFor(input: ScoreInput): Promise<string> {
    const v = input.case.vars[this.variable];
    if (typeof v !== 'string') return Promise.reject(new Error(`case ${input.case.id} has no string vars.${this.variable} (the baseline answer)`));
    return Promise.resolve(v);
  }
}

/**
 * The baseline answer comes from a baseline model, asked the same prompt. Answers are kept in
 * memory so several scorers or repeats do not pay twice; transient failures are retried.
 */
export class ModelBaseline implements BaselineSource {
  readonly label: string;
  private readonly answers = new Map<string, Promise<string>>();
  constructor(
    private readonly provider: Provider,
    private readonly maxRetries = 2,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.label = provider.ref;
  }

  answerFor(input: ScoreInput): Promise<string> {
    const key = `${input.case.id}\u0000${input.prompt}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.ask(input);
      this.answers.set(key, answer);
      answer.catch(() => this.answers.delete(key));
    }
    return answer;
  }

  private async ask(input: ScoreInput): Promise<string> {
    const hints = { caseId: input.case.id, ...(input.case.expected === undefined ? {} : { expected: input.case.expected }), salt: 'baseline' };
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.provider.complete({ messages: [{ role: 'user', content: input.prompt }], simHints: hints });
        return res.text;
      } catch (err) {
        if (err instanceof ProviderError && err.retryable && attempt < this.maxRetries) {
          await this.sleep(err.retryAfterMs ?? 250 * 2 ** attempt);
          continue;
        }
        throw err;
      }
    }
  }
}
