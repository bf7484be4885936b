import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScorers } from '../../src/eval/scorers/registry.js';
import { wrongAnswer } from '../../src/providers/sim-answers.js';
import { mixedTrafficJsonl } from '../../src/suite/generate/mixed-traffic.js';
import { iterateCases, loadSuite, type Case } from '../../src/suite/index.js';

const DIR = join(import.meta.dirname, '../../suites/mixed-traffic');

describe('suites/mixed-traffic', () => {
  it('regenerating gives byte-identical cases.jsonl', () => {
    expect(mixedTrafficJsonl()).toBe(readFileSync(join(DIR, 'cases.jsonl'), 'utf8'));
  });

  it('has 1,200 cases tagged by tier (70/10/20%) and kind', async () => {
    const suite = await loadSuite(DIR);
    expect(suite.caseCount).toBe(1200);
    const count = new Map<string, number>();
    for await (const c of iterateCases(suite)) for (const t of c.tags) count.set(t, (count.get(t) ?? 0) + 1);
    expect([count.get('tier:fast'), count.get('tier:mid'), count.get('tier:powerful')]).toEqual([840, 120, 240]);
    for (const k of ['faq', 'policy', 'classification', 'arithmetic', 'json-extraction', 'multi-step', 'scheduling', 'logic']) expect(count.get(`kind:${k}`)).toBeGreaterThan(0);
  });

  it('every case is decided by exactly one gating scorer: the label passes, a wrong answer fails', async () => {
    const suite = await loadSuite(DIR);
    const scorers = await createScorers(suite.scorers, { suite });
    const out = (text: string) => ({ text, inputTokens: 200, outputTokens: 20, latencyMs: 120, ttftMs: null });
    for await (const c of iterateCases(suite)) {
      const gating = scorers.filter((s) => s.gating && (s.appliesTo?.(c) ?? true));
      expect(gating, c.id).toHaveLength(1);
      const s = gating[0]!;
      const right = await s.score({ case: c, output: out(c.expected!), prompt: '', modelRef: 'm' });
      expect(right.pass, `${c.id} right`).toBe(true);
      const wrong = await s.score({ case: c, output: out(wrongAnswer(c.expected!, 0.4)), prompt: '', modelRef: 'm' });
      expect(wrong.pass, `${c.id} wrong`).toBe(false);
    }
  });

  it('labels are correct by construction: spot checks recomputed by hand from the prompt', async () => {
    const byId = new Map<string, Case>();
    for await (const c of iterateCases(await loadSuite(DIR))) byId.set(c.id, c);
    // multi-step-0033: member, 2 × Halcyon pendant at $129.00 = 258.00, −10% = 232.20 ≥ $150 → free shipping.
    expect(byId.get('multi-step-0033')!.vars.question).toContain('A member in Corrin Isles orders 2 × Halcyon pendant');
    expect(byId.get('multi-step-0033')!.expected).toBe('232.20');
    // arithmetic-0027: 2 × 89.25 + 2 × 129.00 + 2 × 64.50 = 178.50 + 258.00 + 129.00 = 565.50.
    expect(byId.get('arithmetic-0027')!.expected).toBe('565.50');
    // scheduling-0066: Friday order → dispatched Monday → 2 transit days → Wednesday.
    expect(byId.get('scheduling-0066')!.vars.question).toContain('placed on a Friday morning');
    expect(byId.get('scheduling-0066')!.expected).toBe('Wednesday');
    const faq = byId.get('faq-0332')!;
    expect(faq.vars.question).toContain('Cadence headphones (SKU CH-3174)');
    expect(faq.expected).toBe('CH-3174');
    expect(faq.context).toContain(faq.expected);
  });
});
