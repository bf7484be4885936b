import { UsageError } from '../errors.js';
import { holmAdjust } from '../stats/holm.js';
import { wilsonInterval } from '../stats/intervals.js';
import { mannWhitneyU } from '../stats/mann-whitney.js';
import { mcnemarExact } from '../stats/mcnemar.js';
import { createRng } from '../stats/prng.js';
import type { RunRecord } from '../store/types.js';
import { absoluteEvidence, comparisonEvidence, measure, rareFlipLowerBound } from './checks.js';
import { caseFlips } from './flips.js';
import { formatDelta, formatP, formatValue } from './format.js';
import { METRICS, selectCases, sharedIds, type CaseTable, type MetricName } from './metrics.js';
import { DEFAULT_NOISE, type GatePolicy, type MetricPolicy } from './policy.js';
import { resampleDifferencesParallel } from './resample-parallel.js';
import type { AbsoluteCheck, ComparisonCheck, GateVerdict, MetricVerdict, Verdict } from './types.js';

export interface GateSide {
  run: RunRecord;
  table: CaseTable;
}

export interface GateInput {
  candidate: GateSide;
  baseline: GateSide | null;
  policy: GatePolicy;
  /** A/A-calibrated noise per metric (same units as margins), used for `margin: noise`. */
  noise?: Partial<Record<MetricName, number>> | undefined;
  /** Threads for the bootstrap (the result does not depend on it); 1 keeps it on this thread. */
  threads?: number | undefined;
}

/** Below this many flips the bootstrap of a paired rate is unreliable; see rareFlipLowerBound. */
const RARE_FLIPS = 20;

const worst = (a: Verdict, b: Verdict): Verdict => (a === 'fail' || b === 'fail' ? 'fail' : a === 'inconclusive' || b === 'inconclusive' ? 'inconclusive' : 'pass');

interface Pending {
  policy: MetricPolicy;
  verdict: MetricVerdict;
  absPass?: number;
}

/**
 * The release gate as a pure function of two runs' per-case data and a policy.
 *
 * Every metric gets up to two checks. Absolute: the candidate against a threshold (exact
 * binomial / t / order-statistic tests). Comparison, a non-inferiority test against the baseline
 * with margin δ: it PASSES when the confidence interval's worse end is within δ, FAILS when the
 * evidence says it is worse by more than δ (one-sided p < α after Holm correction across all
 * checks of the gate), and is INCONCLUSIVE otherwise — e.g. a 3-point drop on 20 cases. Fewer
 * cases than `minSamples` is always inconclusive, never a pass.
 */
export function evaluateGate(input: GateInput): GateVerdict {
  const { candidate, baseline, policy } = input;
  if (baseline) {
    if (baseline.run.suite !== candidate.run.suite) {
      throw new UsageError(`Run ${candidate.run.id} is of suite '${candidate.run.suite}' but baseline ${baseline.run.id} is of suite '${baseline.run.suite}'.`, 'A gate compares two runs of the same suite.');
    }
    if (baseline.run.id === candidate.run.id) throw new UsageError(`Run ${candidate.run.id} cannot be its own baseline.`, 'Pick another run, or pin one with `llmops baseline set <run>`.');
  }
  const alpha = (1 - policy.confidence) / 2;
  const shared = baseline ? sharedIds(candidate.table.ids, baseline.table.ids) : [];
  const paired = baseline !== null && shared.length >= policy.minSamples;
  const cand = paired ? selectCases(candidate.table, shared) : candidate.table;
  const base = baseline ? (paired ? selectCases(baseline.table, shared) : baseline.table) : null;

  const pending: Pending[] = [];
  for (const mp of policy.metrics) {
    const def = METRICS[mp.metric];
    const candValues = candidate.table.columns[def.column];
    const own = measure(def, candValues, policy.confidence);
    if (own.n === 0) continue; // not measured in this run (e.g. no judge scorer): nothing to gate
    const v: MetricVerdict = { metric: mp.metric, unit: def.unit, verdict: 'pass', reason: '', candidate: { value: own.value, n: own.n, ci: own.ci } };
    const p: Pending = { policy: mp, verdict: v };
    const bound = mp.min !== undefined ? 'min' : mp.max !== undefined ? 'max' : undefined;
    if (bound) {
      const threshold = (bound === 'min' ? mp.min : mp.max)!;
      const ev = absoluteEvidence(def, candValues, bound, threshold, policy.confidence);
      v.absolute = { bound, threshold, verdict: 'inconclusive', pFail: ev.pFail, pFailAdjusted: ev.pFail };
      p.absPass = ev.pPass;
    }
    pending.push(p);
  }

  // Comparisons: one fused bootstrap over every compared metric.
  const compared = base ? pending.filter((p) => p.policy.compare && measure(METRICS[p.policy.metric], base.columns[METRICS[p.policy.metric].column], policy.confidence).n > 0) : [];
  if (base && baseline && compared.length) {
    const defs = compared.map((p) => METRICS[p.policy.metric]);
    const boot = resampleDifferencesParallel({ candidate: cand.columns, baseline: base.columns, paired, metrics: defs, resamples: policy.resamples, rng: createRng(policy.seed) }, input.threads ?? 1);
    compared.forEach((p, mi) => {
      const def = defs[mi]!;
      const sign = def.higherIsBetter ? 1 : -1;
      const baseValue = boot.baseline[mi]!;
      const candValue = boot.candidate[mi]!;
      const { margin, source } = marginFor(p.policy, input.noise);
      const marginAbs = def.marginKind === 'relative' ? margin * Math.abs(baseValue) : margin;
      const ev = comparisonEvidence(boot.diffs[mi]!, sign, marginAbs, policy.confidence);
      let gLower = ev.gLower;
      let pFail = ev.pFail;
      let method = paired ? 'paired bootstrap' : 'bootstrap (independent samples)';
      let mcnemar: ComparisonCheck['mcnemar'];
      let mannWhitneyP: number | undefined;
      if (def.binary) {
        const { good, bad, n } = paired ? pairedFlips(cand.columns[def.column], base.columns[def.column], sign) : { good: 0, bad: 0, n: 0 };
        if (paired && good + bad < RARE_FLIPS) gLower = Math.min(gLower, rareFlipLowerBound(good, bad, n, policy.confidence));
        if (!paired) gLower = Math.min(gLower, unpairedRateLowerBound(cand.columns[def.column], base.columns[def.column], sign, policy.confidence));
        if (paired && def.column === 'pass') {
          const t = mcnemarExact(good, bad);
          mcnemar = { improved: good, regressed: bad, pValue: t.pValue };
          // A fail also needs the flips themselves to lean significantly toward regressions.
          pFail = Math.max(pFail, t.pRegression);
          method = 'paired bootstrap + exact McNemar';
        }
      }
      if (!paired && def.kind === 'quantile') {
        mannWhitneyP = mannWhitneyU(cand.columns[def.column].filter((x) => !Number.isNaN(x)), base.columns[def.column].filter((x) => !Number.isNaN(x))).pValue;
      }
      p.verdict.baseline = { value: baseValue, n: measure(def, base.columns[def.column], policy.confidence).n };
      p.verdict.candidate.value = candValue;
      p.verdict.comparison = {
        diff: candValue - baseValue, ci: ev.ci, margin: marginAbs, improvementLowerBound: gLower, marginSource: source, verdict: 'inconclusive', pFail, pFailAdjusted: pFail, method,
        ...(mcnemar ? { mcnemar } : {}), ...(mannWhitneyP === undefined ? {} : { mannWhitneyP }),
      };
    });
  }

  // Holm across every check of this gate: a gate fails if any check fails, so the family-wise
  // rate of false failures is what must be controlled.
  const checks: Array<AbsoluteCheck | ComparisonCheck> = [];
  for (const p of pending) {
    if (p.verdict.absolute) checks.push(p.verdict.absolute);
    if (p.verdict.comparison) checks.push(p.verdict.comparison);
  }
  const adjusted = holmAdjust(checks.map((c) => c.pFail));
  checks.forEach((c, i) => { c.pFailAdjusted = adjusted[i]!; });

  const metrics: MetricVerdict[] = [];
  for (const p of pending) {
    decide(p, alpha);
    metrics.push(p.verdict);
  }
  const flips = paired && base ? caseFlips(cand, base) : { regressions: [], improvements: [] };
  const verdict = metrics.reduce<Verdict>((acc, m) => worst(acc, m.verdict), 'pass');
  return {
    verdict, suite: candidate.run.suite, candidateRunId: candidate.run.id, candidateModel: candidate.run.model,
    baselineRunId: baseline?.run.id ?? null, baselineModel: baseline?.run.model ?? null,
    paired, sharedCases: shared.length, candidateCases: candidate.table.ids.length, baselineCases: baseline?.table.ids.length ?? 0,
    confidence: policy.confidence, resamples: policy.resamples, seed: policy.seed,
    metrics, regressions: flips.regressions, improvements: flips.improvements, policy,
  };
}

function marginFor(p: MetricPolicy, noise: GateInput['noise']): { margin: number; source: ComparisonCheck['marginSource'] } {
  if (typeof p.margin === 'number') return { margin: p.margin, source: 'policy' };
  const calibrated = noise?.[p.metric];
  if (calibrated !== undefined && Number.isFinite(calibrated)) return { margin: calibrated, source: 'calibrated' };
  return { margin: DEFAULT_NOISE[p.metric], source: 'default' };
}

/** Cases where the signed change is positive (good) or negative (bad); fractional with repeats. */
function pairedFlips(c: Float64Array, b: Float64Array, sign: 1 | -1): { good: number; bad: number; n: number } {
  let good = 0, bad = 0, n = 0;
  for (let i = 0; i < c.length; i++) {
    const d = c[i]! - b[i]!;
    if (Number.isNaN(d)) continue;
    n++;
    if (sign * d > 0) good++;
    else if (sign * d < 0) bad++;
  }
  return { good, bad, n };
}

function unpairedRateLowerBound(c: Float64Array, b: Float64Array, sign: 1 | -1, confidence: number): number {
  const count = (x: Float64Array) => { let k = 0, n = 0; for (const v of x) if (!Number.isNaN(v)) { k += v; n++; } return { k: Math.round(k), n }; };
  const cc = count(c), bb = count(b);
  // Higher-better: g = pC − pB ≥ L(pC) − U(pB); lower-better: g = pB − pC ≥ L(pB) − U(pC).
  return sign > 0 ? lowerMinusUpper(cc, bb, confidence) : lowerMinusUpper(bb, cc, confidence);
}

function lowerMinusUpper(x: { k: number; n: number }, y: { k: number; n: number }, confidence: number): number {
  return wilsonInterval(x.k, x.n, confidence)[0] - wilsonInterval(y.k, y.n, confidence)[1];
}

function decide(p: Pending, alpha: number): void {
  const v = p.verdict;
  const name = v.metric;
  const reasons: string[] = [];
  let verdict: Verdict = 'pass';
  const minN = p.policy.minSamples;
  if (v.absolute) {
    const a = v.absolute;
    const op = a.bound === 'min' ? '≥' : '≤';
    const target = `${op} ${formatValue(name, a.threshold)}`;
    if (v.candidate.n < minN) { a.verdict = 'inconclusive'; reasons.push(`only ${v.candidate.n} cases (< ${minN}) to check ${target}`); }
    else if (a.pFailAdjusted < alpha) { a.verdict = 'fail'; reasons.push(`${formatValue(name, v.candidate.value)} misses the target ${target} (${formatP(a.pFailAdjusted)}, Holm)`); }
    else if ((p.absPass ?? 1) < alpha) { a.verdict = 'pass'; reasons.push(`${formatValue(name, v.candidate.value)} meets ${target}`); }
    else { a.verdict = 'inconclusive'; reasons.push(`${formatValue(name, v.candidate.value)} too close to the target ${target} to tell with ${v.candidate.n} cases`); }
    verdict = worst(verdict, a.verdict);
  }
  if (v.comparison && v.baseline) {
    const c = v.comparison;
    const n = Math.min(v.candidate.n, v.baseline.n);
    const ci = `${formatDelta(name, c.ci[0])} to ${formatDelta(name, c.ci[1])}`;
    const vs = `${formatDelta(name, c.diff)} vs baseline (CI ${ci}, margin ${formatDelta(name, c.margin).replace(/^[+−±]/, '')})`;
    if (n < minN) { c.verdict = 'inconclusive'; reasons.push(`only ${n} cases (< ${minN}) to compare with the baseline`); }
    else if (c.pFailAdjusted < alpha) { c.verdict = 'fail'; reasons.push(`worse than the baseline beyond the margin: ${vs}, ${formatP(c.pFailAdjusted)} Holm`); }
    else if (c.improvementLowerBound >= -c.margin) { c.verdict = 'pass'; reasons.push(`not worse than the baseline: ${vs}`); }
    else { c.verdict = 'inconclusive'; reasons.push(`cannot rule out a regression beyond the margin: ${vs}; more cases needed`); }
    verdict = worst(verdict, c.verdict);
  }
  v.verdict = verdict;
  // Lead with what decided it.
  const order = (s: string) => (s.startsWith('worse') || s.includes('misses') ? 0 : s.startsWith('only') || s.includes('cannot') || s.includes('too close') ? 1 : 2);
  v.reason = reasons.sort((a, b) => order(a) - order(b)).join('; ') || 'measured only';
}
