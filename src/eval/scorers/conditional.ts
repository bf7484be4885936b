import type { Case } from '../../suite/types.js';
import { hasAnyTag } from '../../suite/select.js';
import type { Score, ScoreInput, Scorer } from './types.js';

export interface When {
  tag?: string | string[] | undefined;
  notTag?: string | string[] | undefined;
}

const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/**
 * A scorer restricted by `when:` to the cases with (any of) some tags, or without them. Lets one
 * suite mix kinds of task (arithmetic, JSON extraction, FAQ…), each decided by its own scorer.
 */
export class ConditionalScorer implements Scorer {
  private readonly tag: string[] | undefined;
  private readonly notTag: string[] | undefined;
  constructor(private readonly inner: Scorer, when: When) {
    this.tag = list(when.tag);
    this.notTag = list(when.notTag);
  }
  get name(): string { return this.inner.name; }
  get type(): string { return this.inner.type; }
  get gating(): boolean { return this.inner.gating; }
  appliesTo(c: Case): boolean {
    if (this.tag && !hasAnyTag(c, this.tag)) return false;
    if (this.notTag && hasAnyTag(c, this.notTag)) return false;
    return this.inner.appliesTo?.(c) ?? true;
  }
  score(input: ScoreInput): Promise<Score> | Score {
    return this.inner.score(input);
  }
}
