import { InvalidArgumentError, type Command } from 'commander';
import { globals, loadConfigFor } from '../context.js';
import { info, printJson, printResult } from '../output.js';

function parseKappa(v: string): number {
  const k = Number(v);
  if (!Number.isFinite(k) || k < -1 || k > 1) throw new InvalidArgumentError('a kappa between -1 and 1');
  return k;
}

function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
}

export function registerJudgeCommands(program: Command): void {
  const judge = program.command('judge').description('LLM-as-judge: calibrate judges against human labels');

  judge
    .command('calibrate')
    .description("judge every human-labelled answer and measure agreement (Cohen's kappa, weighted kappa, confusion matrix); stored per judge model + rubric hash")
    .requiredOption('--suite <path>', 'suite folder or suite.yaml whose judge scorer to calibrate')
    .requiredOption('--labels <file>', 'JSONL of human labels: {"id": "<case id>", "output": "<answer>", "label": <scale point | true | false>}')
    .option('--scorer <name>', 'which judge scorer of the suite (default: the first llm-judge / faithfulness / reference-match)')
    .option('--min-kappa <k>', 'kappa floor for the verdict (default llmops.yaml judge.minKappa, else 0.6)', parseKappa)
    .option('-j, --concurrency <n>', 'parallel judge calls', parsePositiveInt, 8)
    .action(async (opts: { suite: string; labels: string; scorer?: string; minKappa?: number; concurrency: number }, cmd: Command) => {
      const g = globals(cmd);
      const loaded = (await loadConfigFor(cmd));
      const { prepareCalibration } = await import('../../judge/calibration/run.js');
      const { openDatabase } = await import('../../store/index.js');
      const { judgeMigrations, JUDGE_COMPONENT } = await import('../../judge/calibration/store.js');
      const { formatCalibration } = await import('../../judge/calibration/format.js');
      const prepared = await prepareCalibration({
        loaded,
        suitePath: opts.suite,
        labelsPath: opts.labels,
        scorerName: opts.scorer,
        minKappa: opts.minKappa,
        concurrency: opts.concurrency,
      });
      info(`Calibrating the judge of suite '${prepared.suiteName}' against ${opts.labels}…`);
      const db = openDatabase(g.db, { migrations: [{ component: JUDGE_COMPONENT, steps: judgeMigrations }] });
      try {
        const { outcome, record, status, scorerName } = await prepared.run(db);
        if (g.json) printJson({ calibrationId: record.id, suite: prepared.suiteName, scorer: scorerName, ...outcome, status });
        else printResult(formatCalibration(outcome, status, scorerName));
      } finally {
        db.close();
      }
    });

  judge
    .command('status')
    .description('whether a judge model + rubric hash is calibrated (what the gate checks)')
    .requiredOption('--judge <model-ref>', 'judge model ref, e.g. sim:judge')
    .requiredOption('--rubric-hash <hash>', 'rubric hash as stored in score meta (rubricHash)')
    .option('--min-kappa <k>', 'kappa floor (default llmops.yaml judge.minKappa, else 0.6)', parseKappa)
    .action(async (opts: { judge: string; rubricHash: string; minKappa?: number }, cmd: Command) => {
      const g = globals(cmd);
      const loaded = (await loadConfigFor(cmd));
      const { openDatabase } = await import('../../store/index.js');
      const { judgeCalibrationStatus } = await import('../../judge/calibration/status.js');
      const db = openDatabase(g.db, { mustExist: true, readonly: true });
      try {
        const status = judgeCalibrationStatus(db, opts.judge, opts.rubricHash, opts.minKappa ?? loaded.config.judge?.minKappa);
        if (g.json) printJson(status);
        else printResult(status.message);
      } finally {
        db.close();
      }
    });
}
