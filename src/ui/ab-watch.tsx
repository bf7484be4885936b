import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { formatExperimentText } from '../experiment/format.js';
import type { ExperimentStatusView } from '../experiment/view.js';

export interface AbWatchProps {
  initial: ExperimentStatusView;
  poll: () => Promise<ExperimentStatusView>;
  intervalMs: number;
}

const stateColor = (s: string): string =>
  s === 'significant' ? 'green' : s === 'guardrail_breach' || s === 'srm' ? 'red' : s === 'stopped' ? 'gray' : 'yellow';

/**
 * `llmops ab watch` on a terminal: the status text refreshed every interval, the decision line
 * coloured by state; exits when the experiment stops, or on q.
 */
export function AbWatch({ initial, poll, intervalMs }: AbWatchProps) {
  const { exit } = useApp();
  const [view, setView] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  useInput((input) => {
    if (input === 'q') exit();
  }, { isActive: process.stdin.isTTY === true });
  useEffect(() => {
    if (view.status === 'stopped') {
      exit();
      return;
    }
    const timer = setTimeout(() => {
      poll().then((v) => { setView(v); setError(null); }, (err: unknown) => setError((err as Error).message));
    }, intervalMs);
    return () => clearTimeout(timer);
  }, [view, error, poll, intervalMs, exit]);
  const lines = formatExperimentText(view).split('\n');
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} {...(l.startsWith('Decision:') ? { color: stateColor(view.decision.state), bold: true } : {})}>{l}</Text>
      ))}
      {error ? <Text color="red">gateway: {error} (retrying)</Text> : null}
      <Text dimColor>refresh every {intervalMs / 1000} s · q quit</Text>
    </Box>
  );
}
