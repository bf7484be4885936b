import { z } from 'zod';
import { measuringScorerOptions } from './options.js';
import { ScorerError, type Score, type ScoreInput, type Scorer } from './types.js';

/** `threshold`: most USD a case may cost to pass; without it the scorer only measures (pass null). */
export const CostOptionsSchema = measuringScorerOptions();

/**
 * `cost`: USD of the call = input tokens × input price + output tokens × output price (prices
 * per 1M tokens, from the model's `price:`). Without a price it cannot judge a threshold: that
 * is a scorer error; without a threshold it records 0 with `meta.priceKnown: false`.
 */
export class CostScorer implements Scorer {
  readonly type = 'cost';
  readonly gating: boolean;
  readonly name: string;
  constructor(private readonly o: z.output<typeof CostOptionsSchema>) {
    this.name = o.name ?? 'cost';
    this.gating = o.gating ?? o.threshold !== undefined;
  }
  score(input: ScoreInput): Score {
    const { price, output } = input;
    if (!price) {
      if (this.o.threshold !== undefined) throw new ScorerError(this.name, `model ${input.modelRef} has no price; set \`price: {input, output}\` (USD per 1M tokens) in llmops.yaml`);
      return { name: this.name, value: 0, pass: null, reason: 'no price for this model', meta: { priceKnown: false } };
    }
    const usd = (output.inputTokens * price.input + output.outputTokens * price.output) / 1_000_000;
    const meta = { inputTokens: output.inputTokens, outputTokens: output.outputTokens };
    if (this.o.threshold === undefined) return { name: this.name, value: usd, pass: null, meta };
    const pass = usd <= this.o.threshold;
    return { name: this.name, value: usd, pass, meta, ...(pass ? {} : { reason: `$${usd.toPrecision(3)} > $${this.o.threshold}` }) };
  }
}
