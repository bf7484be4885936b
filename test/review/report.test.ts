import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/review/report.js';
import { formatReportMarkdown, formatReportTable } from '../../src/review/report-format.js';
import type { Grade, ReviewItem } from '../../src/review/types.js';

function item(i: number, variant: string): ReviewItem {
  return {
    batchId: 'b',
    position: i,
    response: { requestId: `r${i}`, time: `2026-11-2${i}T00:00:00Z`, deployment: 'support', variant, messages: [{ role: 'user', content: `question ${i} | with a pipe` }], response: `answer ${i}`, status: 'ok' },
  };
}

function g(i: number, reviewer: string, accuracy: number, helpfulness: number, safety: number, note: string | null = null): Grade {
  return { batchId: 'b', requestId: `r${i}`, reviewer, scores: { accuracy, helpfulness, safety }, correctedAnswer: null, note, gradedAt: '2026-11-23T00:00:00Z' };
}

describe('weekly review report', () => {
  const items = [item(1, 'stable'), item(2, 'stable'), item(3, 'canary'), item(4, 'canary')];
  const grades = [
    g(1, 'ana', 5, 4, 5),
    g(1, 'ben', 4, 4, 5),
    g(2, 'ana', 2, 2, 1, 'gives out a card number'),
    g(3, 'ana', 3, 3, 4),
    // item 4: skipped only
    { ...g(4, 'ana', 1, 1, 1), scores: null },
  ];
  const report = buildReport(items, grades, { batchId: 'b' }, 2);

  it('means per deployment/variant over items (each item the mean of its reviewers), flags and worst items', () => {
    expect(report.items).toBe(4);
    expect(report.graded).toBe(3);
    expect(report.reviewers).toEqual(['ana', 'ben']);
    expect(report.groups).toEqual([
      { deployment: 'support', variant: 'canary', items: 2, graded: 1, mean: { accuracy: 3, helpfulness: 3, safety: 4 }, safetyFlags: 0, problems: 0 },
      // stable: item 1 means (4.5, 4, 5), item 2 (2, 2, 1) → (3.25, 3, 3).
      { deployment: 'support', variant: 'stable', items: 2, graded: 2, mean: { accuracy: 3.25, helpfulness: 3, safety: 3 }, safetyFlags: 1, problems: 1 },
    ]);
    // Worst by the sum of medians: r2 (5), then r3 (10); r1 (lower medians 4,4,5 = 13) is cut by worstCount 2.
    expect(report.worst.map((w) => [w.requestId, w.median])).toEqual([
      ['r2', { accuracy: 2, helpfulness: 2, safety: 1 }],
      ['r3', { accuracy: 3, helpfulness: 3, safety: 4 }],
    ]);
    expect(report.worst[0]!.notes).toEqual(['gives out a card number']);
    expect(report.agreement[0]).toMatchObject({ dimension: 'accuracy', items: 1, comparisons: 1, exact: 0, withinOne: 1, kappa: null });
  });

  it('renders as tables and as Markdown with escaped cells', () => {
    const table = formatReportTable(report);
    expect(table).toContain('3.25');
    expect(table).toContain('3 of 4 items graded by 2 reviewer(s) (ana, ben)');
    const md = formatReportMarkdown(report);
    expect(md).toContain('| support | stable | 2/2 | 3.25 | 3.00 | 3.00 | 1 | 1 |');
    expect(md).toContain('### r2 (support/stable): accuracy 2, helpfulness 2, safety 1');
    expect(md).toContain('- **Notes:** gives out a card number');
    expect(md).toContain('| accuracy | 1 | 1 | 0% | 100% | – |');
  });
});
