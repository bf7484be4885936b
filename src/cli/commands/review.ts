import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { globals } from '../context.js';
import { info, printJson, printResult } from '../output.js';

function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
}

const DIMENSION_NAMES = ['accuracy', 'helpfulness', 'safety'] as const;
function parseDimension(v: string): (typeof DIMENSION_NAMES)[number] {
  const d = DIMENSION_NAMES.find((x) => x === v);
  if (d === undefined) throw new InvalidArgumentError(`one of ${DIMENSION_NAMES.join(', ')}`);
  return d;
}

async function sinceFrom(text: string | undefined, now: Date): Promise<string | undefined> {
  if (text === undefined) return undefined;
  const { resolveSince } = await import('../../review/duration.js');
  const since = resolveSince(text, now);
  if (since === undefined) throw new UsageError(`--since '${text}' is neither a look-back like 7d / 36h nor an ISO date.`);
  return since;
}

function defaultReviewer(): string {
  try {
    return process.env.LLMOPS_REVIEWER ?? userInfo().username;
  } catch {
    return 'reviewer';
  }
}

export function registerReviewCommands(program: Command): void {
  const review = program.command('review').description('weekly human review of logged responses: sample, grade, export to a suite, report');

  review
    .command('sample')
    .description('draw a random sample of logged responses, stratified by deployment/variant, into a review batch')
    .option('--size <n>', 'responses to sample', parsePositiveInt, 100)
    .option('--since <when>', 'only responses logged since a look-back (7d, 36h) or an ISO date', '7d')
    .option('--deployment <d>', 'only this deployment')
    .option('--seed <s>', 'seed for a reproducible sample (default: random, printed and stored)')
    .option('--from <file>', 'request log: the gateway SQLite database or a JSONL export (default: --db)')
    .action(async (opts: { size: number; since: string; deployment?: string; seed?: string; from?: string }, cmd: Command) => {
      const g = globals(cmd);
      const now = new Date();
      const { sampleBatch } = await import('../../review/service.js');
      const s = await sampleBatch({ dbPath: g.db, from: opts.from ?? g.db, size: opts.size, since: await sinceFrom(opts.since, now), deployment: opts.deployment, seed: opts.seed, now });
      if (g.json) return printJson({ batch: s.batch, allocation: s.allocation, unreviewable: s.unreviewable });
      const strata = Object.entries(s.allocation).map(([k, n]) => `${k}: ${n} of ${s.batch.population[k]}`).join(', ');
      info(`Sampled ${s.batch.itemCount} responses (${strata}; seed ${s.batch.seed}; ${s.unreviewable} unreviewable skipped).`);
      if (s.batch.itemCount > opts.size) {
        info(`That is more than --size ${opts.size}: every deployment/variant gets at least one item, and there are ${Object.keys(s.allocation).length}.`);
      }
      printResult(s.batch.id);
      info(`Grade them with: llmops review grade ${s.batch.id}`);
    });

  review
    .command('list')
    .description('review batches with their grading progress')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const { openReviewStore } = await import('../../review/service.js');
      const store = openReviewStore(g.db);
      try {
        const rows = store.listBatches().map((b) => ({ ...b, gradedItems: new Set(store.grades(b.id).filter((x) => x.scores !== null).map((x) => x.requestId)).size }));
        if (g.json) return printJson(rows);
        if (rows.length === 0) return info('No review batch yet: llmops review sample --from <request log>');
        printResult(rows.map((b) => `${b.id}  ${b.createdAt}  ${b.gradedItems}/${b.itemCount} graded  ${b.source}`).join('\n'));
      } finally {
        store.db.close();
      }
    });

  review
    .command('grade')
    .description('grade a batch interactively (accuracy, helpfulness, safety 1–5, corrected answer, note); quit any time and run again to resume')
    .argument('[batch]', 'batch id or unique prefix (default: the newest)')
    .option('--reviewer <name>', 'who is grading (default: env LLMOPS_REVIEWER, else the login name)')
    .action(async (batchRef: string | undefined, opts: { reviewer?: string }, cmd: Command) => {
      const g = globals(cmd);
      if (!process.stdin.isTTY || !process.stderr.isTTY) throw new UsageError('`llmops review grade` is interactive and needs a terminal.', 'Run it in a terminal; use `review export` / `review report` in scripts.');
      const reviewer = (opts.reviewer ?? defaultReviewer()).trim();
      if (reviewer === '') throw new UsageError('--reviewer must not be empty.');
      const { openReviewStore, resolveBatch } = await import('../../review/service.js');
      const { runGradingSession } = await import('../../review/grade-session.js');
      const { reviewerAgreement } = await import('../../review/agreement.js');
      const { formatAgreementTable } = await import('../../review/report-format.js');
      const { terminalGradingPrompts } = await import('../../ui/grading-prompts.js');
      const store = openReviewStore(g.db);
      try {
        const batch = resolveBatch(store, batchRef);
        // Prompts render on stderr so stdout stays for results; one reader feeds them keys in order.
        const prompts = terminalGradingPrompts(process.stdin, () => process.stderr);
        let out: Awaited<ReturnType<typeof runGradingSession>>;
        try {
          out = await runGradingSession({ store, batch, reviewer, prompts, print: (t) => process.stderr.write(t), now: () => new Date() });
        } finally {
          prompts.close();
        }
        const done = out.total - out.remaining;
        info(`${out.quit ? 'Saved and stopped' : 'Done'}: ${reviewer} has ${done} of ${out.total} items done in ${batch.id} (this session: ${out.graded} graded, ${out.skipped} skipped).`);
        if (out.remaining > 0) info(`Resume with: llmops review grade ${batch.id} --reviewer ${reviewer}`);
        const agreement = reviewerAgreement(store.grades(batch.id));
        if (g.json) printJson({ batch: batch.id, reviewer, ...out, agreement });
        else if ((agreement[0]?.items ?? 0) > 0) info(formatAgreementTable({ agreement }));
      } finally {
        store.db.close();
      }
    });

  review
    .command('export')
    .description('turn graded items into suite cases (corrected answer as expected), skipping cases already in the suite')
    .argument('[batch]', 'batch id or unique prefix (default: the newest)')
    .requiredOption('--to <suite>', 'suite folder (created with a suite.yaml if missing), e.g. suites/reviewed')
    .option('--labels <file>', 'also write human labels for `llmops judge calibrate --labels` (JSONL)')
    .option('--dimension <d>', 'which grade the labels carry: accuracy | helpfulness | safety', parseDimension, 'accuracy' as const)
    .option('--judge <model-ref>', 'judge for the scorers of a NEW suite (default: llmops.yaml judge.model)')
    .action(async (batchRef: string | undefined, opts: { to: string; labels?: string; dimension: 'accuracy' | 'helpfulness' | 'safety'; judge?: string }, cmd: Command) => {
      const g = globals(cmd);
      const { exportBatch } = await import('../../review/service.js');
      const r = exportBatch({ dbPath: g.db, batch: batchRef, to: opts.to, labels: opts.labels, dimension: opts.dimension, judge: opts.judge });
      const summary = {
        batch: r.batchId,
        suite: r.suiteFile,
        createdSuite: r.createdSuite,
        suiteExists: r.suiteExists,
        added: r.plan.added.map((c) => c.id),
        alreadyInSuite: r.plan.existing,
        needsCorrection: r.plan.needsCorrection,
        ungraded: r.plan.ungraded,
        labels: r.labelsWritten ? { file: opts.labels, dimension: opts.dimension, count: r.labels.length } : null,
      };
      if (g.json) return printJson(summary);
      const { ACCEPT_AS_EXPECTED_AT } = await import('../../review/to-cases.js');
      const lines = [
        r.plan.added.length > 0
          ? `${r.createdSuite ? 'Created' : 'Updated'} ${r.suiteFile}: ${r.plan.added.length} case(s) added, ${r.plan.existing.length} already in the suite.`
          : r.suiteExists
            ? `Nothing to add to ${r.suiteFile} (${r.plan.existing.length} already in the suite).`
            : `Nothing exported: no graded item could become a case, so ${r.suiteFile} was not created.`,
      ];
      if (r.plan.needsCorrection.length) {
        lines.push(`${r.plan.needsCorrection.length} item(s) left out: median accuracy below ${ACCEPT_AS_EXPECTED_AT} and no corrected answer, so no answer to expect (add one in \`llmops review grade\`): ${r.plan.needsCorrection.join(', ')}`);
      }
      if (r.plan.ungraded.length) lines.push(`${r.plan.ungraded.length} item(s) not graded yet.`);
      if (r.labelsWritten) {
        lines.push(`${r.labels.length} ${opts.dimension} label(s) written to ${opts.labels} (llmops judge calibrate --suite ${opts.to} --scorer ${opts.dimension === 'accuracy' ? 'accuracy' : '<scorer>'} --labels ${opts.labels}).`);
      } else if (opts.labels !== undefined) {
        lines.push(`No labels written to ${opts.labels}: no graded item maps to a case of the suite.`);
      }
      printResult(lines.join('\n'));
    });

  review
    .command('report')
    .description('weekly summary per deployment/variant: mean grades, safety flags, worst items, reviewer agreement')
    .argument('[batch]', 'batch id or unique prefix (default: the newest; ignored with --since)')
    .option('--since <when>', 'every batch item logged since a look-back (7d) or an ISO date, instead of one batch')
    .option('--markdown', 'print Markdown instead of tables')
    .option('--output <file>', 'also write the Markdown report to a file')
    .option('--worst <n>', 'how many worst items to list', parsePositiveInt, 5)
    .action(async (batchRef: string | undefined, opts: { since?: string; markdown?: boolean; output?: string; worst: number }, cmd: Command) => {
      const g = globals(cmd);
      const now = new Date();
      const since = await sinceFrom(opts.since, now);
      const { openDatabase } = await import('../../store/index.js');
      const { ReviewStore, REVIEW_COMPONENT, reviewMigrations } = await import('../../review/store.js');
      const { reportFor } = await import('../../review/service.js');
      const { formatReportMarkdown, formatReportTable } = await import('../../review/report-format.js');
      const store = new ReviewStore(openDatabase(g.db, { mustExist: true, migrations: [{ component: REVIEW_COMPONENT, steps: reviewMigrations }] }));
      try {
        const report = reportFor(store, { batch: batchRef, since, now, worst: opts.worst });
        if (opts.output !== undefined) {
          const { assertWritable } = await import('../../util/writable.js');
          assertWritable([opts.output]);
          const { writeFileAtomically } = await import('../../report/atomic-write.js');
          writeFileAtomically(opts.output, (append) => append(formatReportMarkdown(report)));
          info(`Wrote ${opts.output}`);
        }
        if (g.json) printJson(report);
        else printResult(opts.markdown ? formatReportMarkdown(report) : formatReportTable(report));
      } finally {
        store.db.close();
      }
    });
}
