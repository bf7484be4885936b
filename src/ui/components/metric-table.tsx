import { Box, Text } from 'ink';
import { sparkline, type Level, type MetricRow } from '../../canary/view-model.js';

const COLOR: Record<Level, string | undefined> = { ok: 'green', warn: 'yellow', alert: 'red', none: undefined };

/** Baseline vs candidate per metric, the candidate coloured by its distance to the trigger, with a sparkline. */
export function MetricTable({ rows }: { rows: MetricRow[] }) {
  return (
    <Box flexDirection="column">
      <Text bold>{`${'metric'.padEnd(14)}${'baseline'.padStart(12)}${'candidate'.padStart(12)}  trend (candidate)`}</Text>
      {rows.map((r) => (
        <Box key={r.label}>
          <Text>{r.label.padEnd(14)}</Text>
          <Text>{r.baseline.padStart(12)}</Text>
          <Text color={COLOR[r.level]} bold={r.level === 'alert'}>{r.candidate.padStart(12)}</Text>
          <Text dimColor>{`  ${sparkline(r.series)}`}</Text>
        </Box>
      ))}
    </Box>
  );
}
