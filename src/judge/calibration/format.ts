import type { CalibrationOutcome } from './calibrate.js';
import type { JudgeCalibrationStatus } from './status.js';

/** Fixed digits, with no "-0.000": a value that rounds to zero prints as zero. */
export function fixed(x: number, digits = 3): string {
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}
const fmt = (x: number | null, digits = 3) => (x === null ? 'n/a' : fixed(x, digits));
const signed = (x: number) => {
  const s = fixed(x);
  return s.startsWith('-') ? s : `+${s}`;
};
const row = (label: string) => label.padEnd(26);

/** Human-readable calibration report (stdout of `llmops judge calibrate` without --json). */
export function formatCalibration(o: CalibrationOutcome, status: JudgeCalibrationStatus, scorerName: string): string {
  const r = o.report;
  const cats = r.categories.map((c) => (r.categories.length === 2 && o.scorerType !== 'llm-judge' ? (c === 1 ? 'pass' : 'fail') : String(c)));
  const width = Math.max(6, ...cats.map((c) => c.length), ...r.confusion.flat().map((x) => String(x).length)) + 1;
  const pad = (s: string) => s.padStart(width);
  const lines = [
    `Judge ${o.judgeModel} · scorer ${scorerName} (${o.scorerType}) · rubric ${o.rubricHash}`,
    `Labels: ${r.n} judged${o.judgeErrors.length ? `, ${o.judgeErrors.length} judge errors left out` : ''}`,
    '',
    `${row('Agreement')}${fmt(r.agreement)}`,
    `${row("Cohen's kappa")}${fmt(r.kappa)}`,
    ...(r.categories.length > 2 ? [`${row('Kappa, linear weights')}${fmt(r.kappaLinear)}`, `${row('Kappa, quadratic weights')}${fmt(r.kappaQuadratic)}`] : []),
    `${row('Judge vs humans')}${r.leniency} (judge higher on ${r.judgeHigher}, lower on ${r.judgeLower}; mean difference ${signed(r.meanDifference)})`,
    '',
    'Confusion matrix (rows: humans, columns: judge)',
    `${pad('')}${cats.map(pad).join('')}`,
    ...r.confusion.map((row, i) => `${pad(cats[i] ?? '')}${row.map((x) => pad(String(x))).join('')}`),
    '',
    `${status.status === 'calibrated' ? 'OK' : 'WARNING'}: ${status.message}`,
  ];
  for (const e of o.judgeErrors.slice(0, 5)) lines.push(`  judge error on ${e.id}: ${e.message}`);
  return `${lines.join('\n')}\n`;
}
