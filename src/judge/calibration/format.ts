import type { CalibrationOutcome } from './calibrate.js';
import type { JudgeCalibrationStatus } from './status.js';

const fmt = (x: number | null, digits = 3) => (x === null ? 'n/a' : x.toFixed(digits));
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
    `${row('Judge vs humans')}${r.leniency} (judge higher on ${r.judgeHigher}, lower on ${r.judgeLower}; mean difference ${r.meanDifference >= 0 ? '+' : ''}${r.meanDifference.toFixed(3)})`,
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
