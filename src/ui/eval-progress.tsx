import { Box, Text } from 'ink';
import { passText } from '../eval/plain-reporter.js';

export interface RunRow {
  id: string;
  label: string;
  planned: number;
  done: number;
  pass: number;
  fail: number;
  error: number;
  /** Results per second over this invocation. */
  rate: number;
}

/** Wide enough for `model (simulated) · suite`; a longer label is cut with an ellipsis, never wrapped. */
const LABEL_WIDTH = 32;

function bar(done: number, planned: number, width = 20): string {
  const filled = planned > 0 ? Math.min(width, Math.round((done / planned) * width)) : width;
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Live eval progress: one line per run with done/total, rate, ETA, pass rate and errors. */
export function EvalProgress({ rows, elapsedS }: { rows: RunRow[]; elapsedS: number }) {
  return (
    <Box flexDirection="column">
      {rows.map((r) => {
        const judged = r.pass + r.fail;
        const eta = r.rate > 0 ? `${Math.ceil((r.planned - r.done) / r.rate)}s` : '—';
        return (
          <Box key={r.id} gap={1}>
            <Box width={LABEL_WIDTH} flexShrink={0}><Text color="cyan" wrap="truncate-end">{r.label}</Text></Box>
            <Text>{bar(r.done, r.planned)}</Text>
            <Text>{`${r.done}/${r.planned}`}</Text>
            <Text dimColor>{`${r.rate.toFixed(1)}/s ETA ${eta}`}</Text>
            <Text color={judged === 0 ? 'gray' : r.pass / judged < 0.9 ? 'yellow' : 'green'}>{passText(r.pass, r.fail)}</Text>
            <Text color={r.error > 0 ? 'red' : 'gray'}>{`errors ${r.error}`}</Text>
          </Box>
        );
      })}
      <Text dimColor>{`elapsed ${elapsedS.toFixed(0)}s · Ctrl-C stops and keeps every stored result (resume with --resume <run-id>)`}</Text>
    </Box>
  );
}
