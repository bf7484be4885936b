import type { FeatureContribution } from './explain.js';
import type { RouterEvaluation } from './evaluate.js';
import type { Prediction } from './model.js';
import { TIERS, type RouteDecision } from './types.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function grid(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

export function formatEvaluation(e: RouterEvaluation, lowTier: string): string {
  const confusion = grid([
    ['label \\ routed', ...TIERS, 'total'],
    ...TIERS.map((l) => [l, ...TIERS.map((t) => String(e.confusion[l][t])), String(TIERS.reduce((s, t) => s + e.confusion[l][t], 0))]),
  ]);
  const curve = grid([
    ['threshold', 'fast', 'mid', 'powerful', 'accuracy', 'adequate', 'cost vs all-powerful'],
    ...e.curve.map((p) => [p.threshold.toFixed(2), pct(p.mix.fast), pct(p.mix.mid), pct(p.mix.powerful), pct(p.accuracy), pct(p.adequate), pct(p.relativeCost)]),
  ]);
  return [
    `Examples: ${e.examples}`,
    `Classifier accuracy: ${pct(e.classifierAccuracy)} (before the confidence fallback)`,
    `Routed accuracy at threshold ${e.threshold} (below it → ${lowTier}): ${pct(e.routed.accuracy)}; served by an adequate tier: ${pct(e.routed.adequate)}; under-served: ${pct(e.underServed)}`,
    `Tier mix: fast ${pct(e.routed.mix.fast)}, mid ${pct(e.routed.mix.mid)}, powerful ${pct(e.routed.mix.powerful)}`,
    `Cost per call: $${e.costPerCall.routed.toFixed(6)} routed vs $${e.costPerCall.allPowerful.toFixed(6)} all-powerful (${pct(e.routed.relativeCost)} of it, saving ${pct(1 - e.routed.relativeCost)})`,
    '',
    'Confusion matrix:',
    confusion,
    '',
    'Cost-quality curve over the confidence threshold ("adequate" = routed to the labelled tier or a stronger one):',
    curve,
  ].join('\n');
}

/**
 * The text of `llmops router explain`. The Tier line always names the reason and what the
 * classifier said, whatever decided the tier (an override, the confidence fallback or the
 * classifier itself): `Tier: powerful (override: legal; classifier said mid)`.
 */
export function formatExplanation(query: string, decision: RouteDecision, prediction: Prediction, contributions: FeatureContribution[], top: number): string {
  const lines = [
    `Query: ${query.length > 120 ? `${query.slice(0, 117)}…` : query}`,
    `Tier: ${decision.tier} (${decision.reason}${decision.rule ? `: ${decision.rule}` : ''}; classifier said ${prediction.tier})`,
    `Confidence: ${prediction.confidence.toFixed(3)}  (fast ${prediction.probabilities.fast.toFixed(3)}, mid ${prediction.probabilities.mid.toFixed(3)}, powerful ${prediction.probabilities.powerful.toFixed(3)})`,
    '',
    `Features that drove "${prediction.tier}" (+ towards it, − away):`,
    grid([['feature', 'value', 'contribution'], ...contributions.slice(0, top).map((c) => [c.feature, c.value.toFixed(3), (c.contribution >= 0 ? '+' : '') + c.contribution.toFixed(3)])]),
  ];
  return lines.join('\n');
}
