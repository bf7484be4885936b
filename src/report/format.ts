export const pct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`);

export function ms(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`;
}

export function usd(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (x === 0) return '$0';
  return x < 0.01 ? `$${x.toFixed(5)}` : `$${x.toFixed(2)}`;
}

export const int = (n: number): string => n.toLocaleString('en-US');

/** Scorer means: 0..1 scores with 3 decimals, measurements (ms, USD) with 4 significant digits. */
export function formatMean(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) <= 1 && Math.abs(x) >= 0.001) return x.toFixed(3);
  return String(Number(x.toPrecision(4)));
}
