import { z } from 'zod';
import { measuringScorerOptions } from './options.js';
import type { Score, ScoreInput, Scorer } from './types.js';

/** `threshold`: most milliseconds a call may take to pass; without it the scorer only measures (pass null). */
export const LatencyOptionsSchema = measuringScorerOptions();

/** `latency`: the call's wall time in ms; passes under `threshold` when one is set. */
export class LatencyScorer implements Scorer {
  readonly type = 'latency';
  readonly gating: boolean;
  readonly name: string;
  constructor(private readonly o: z.output<typeof LatencyOptionsSchema>) {
    this.name = o.name ?? 'latency';
    this.gating = o.gating ?? o.threshold !== undefined;
  }
  score(input: ScoreInput): Score {
    const ms = input.output.latencyMs;
    if (this.o.threshold === undefined) return { name: this.name, value: ms, pass: null };
    const pass = ms <= this.o.threshold;
    return { name: this.name, value: ms, pass, ...(pass ? {} : { reason: `${Math.round(ms)} ms > ${this.o.threshold} ms` }) };
  }
}
