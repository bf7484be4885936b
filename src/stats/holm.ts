/**
 * Holm–Bonferroni step-down adjusted p-values (Holm 1979), in the input order. Rejecting every
 * hypothesis with adjusted p < α controls the family-wise error rate at α.
 */
export function holmAdjust(pValues: ReadonlyArray<number>): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
