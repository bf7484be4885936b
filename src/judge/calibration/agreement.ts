/**
 * Agreement between a judge and human labels on an ordered set of categories: exact agreement,
 * Cohen's kappa, linearly and quadratically weighted kappa, the confusion matrix and whether the
 * judge is harsher or more lenient than the humans. Pure; no I/O.
 */

export interface LabelPair {
  human: number;
  judge: number;
}

export interface AgreementReport {
  n: number;
  /** Ordered category values (rubric points, or 0 = fail / 1 = pass). */
  categories: number[];
  /** confusion[i][j]: items humans put in categories[i] and the judge in categories[j]. */
  confusion: number[][];
  /** Share of items with identical labels. */
  agreement: number;
  /** Cohen's kappa; null when chance agreement is 1 (everyone used one category). */
  kappa: number | null;
  kappaLinear: number | null;
  kappaQuadratic: number | null;
  /** Mean of judge − human, in category units (negative: the judge is harsher). */
  meanDifference: number;
  judgeHigher: number;
  judgeLower: number;
  leniency: 'harsher' | 'more lenient' | 'balanced';
}

type Weighting = 'none' | 'linear' | 'quadratic';

/** Disagreement weight between categories i and j (0 on the diagonal, 1 at the far corners). */
function disagreement(i: number, j: number, k: number, w: Weighting): number {
  if (w === 'none') return i === j ? 0 : 1;
  const d = Math.abs(i - j) / (k - 1);
  return w === 'linear' ? d : d * d;
}

/**
 * κ_w = 1 − Σ w_ij·O_ij / Σ w_ij·E_ij with E_ij = row_i·col_j / n (Cohen 1968). With the 0/1
 * weights this is Cohen's (p_o − p_e)/(1 − p_e).
 */
function weightedKappa(confusion: number[][], n: number, w: Weighting): number | null {
  const k = confusion.length;
  const rows = confusion.map((r) => r.reduce((s, x) => s + x, 0));
  const cols = confusion[0]!.map((_, j) => confusion.reduce((s, r) => s + r[j]!, 0));
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = disagreement(i, j, k, w);
      observed += d * confusion[i]![j]!;
      expected += (d * rows[i]! * cols[j]!) / n;
    }
  }
  if (expected === 0) return null;
  return 1 - observed / expected;
}

export function computeAgreement(pairs: ReadonlyArray<LabelPair>, categories: ReadonlyArray<number>): AgreementReport {
  if (categories.length < 2) throw new Error('agreement needs at least two categories');
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let same = 0;
  let diffSum = 0;
  let judgeHigher = 0;
  let judgeLower = 0;
  for (const p of pairs) {
    const i = index.get(p.human);
    const j = index.get(p.judge);
    if (i === undefined || j === undefined) throw new Error(`label ${i === undefined ? p.human : p.judge} is not one of the categories ${categories.join(', ')}`);
    confusion[i]![j]!++;
    if (i === j) same++;
    diffSum += j - i;
    if (j > i) judgeHigher++;
    if (j < i) judgeLower++;
  }
  const n = pairs.length;
  const kappaOf = (w: Weighting) => (n === 0 ? null : weightedKappa(confusion, n, w));
  return {
    n,
    categories: [...categories],
    confusion,
    agreement: n === 0 ? 0 : same / n,
    kappa: kappaOf('none'),
    kappaLinear: kappaOf('linear'),
    kappaQuadratic: kappaOf('quadratic'),
    meanDifference: n === 0 ? 0 : diffSum / n,
    judgeHigher,
    judgeLower,
    leniency: judgeHigher > judgeLower ? 'more lenient' : judgeHigher < judgeLower ? 'harsher' : 'balanced',
  };
}

/**
 * The kappa a floor is checked against: quadratic-weighted for ordinal scales with more than two
 * points (near misses count as partial agreement), plain Cohen's kappa for pass/fail.
 */
export function primaryKappa(r: AgreementReport): number | null {
  return r.categories.length > 2 ? r.kappaQuadratic : r.kappa;
}
