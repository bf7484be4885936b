import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { CanaryStatusView } from '../canary/status-view.js';
import { eventLines, headline, metricRows, splitLine } from '../canary/view-model.js';
import { MetricTable } from './components/metric-table.js';

export type DashboardAction = 'promote' | 'rollback' | 'pause' | 'resume';

export interface CanaryDashboardProps {
  initial: CanaryStatusView;
  poll: () => Promise<CanaryStatusView>;
  act: (action: DashboardAction) => Promise<CanaryStatusView>;
  intervalMs: number;
}

/**
 * `llmops canary watch`: stage and time left, traffic split, live metrics against the baseline
 * coloured by distance to each trigger, sparklines and the event log. Keys: p promote and
 * r rollback (each asks y/n), space pause/resume, q quit.
 */
export function CanaryDashboard({ initial, poll, act, intervalMs }: CanaryDashboardProps) {
  const { exit } = useApp();
  const [view, setView] = useState(initial);
  const [confirm, setConfirmState] = useState<'promote' | 'rollback' | null>(null);
  // Key presses can arrive faster than renders; the ref always holds the pending question.
  const confirmRef = useRef<'promote' | 'rollback' | null>(null);
  const setConfirm = (c: 'promote' | 'rollback' | null) => {
    confirmRef.current = c;
    setConfirmState(c);
  };
  const pausedRef = useRef(initial.paused);
  pausedRef.current = view.paused;
  const [note, setNote] = useState<string | null>(null);
  const busy = useRef(false);

  useEffect(() => {
    const timer = setInterval(() => {
      if (busy.current) return;
      busy.current = true;
      poll()
        .then((v) => setView(v))
        .catch((err: unknown) => setNote(`cannot refresh: ${(err as Error).message}`))
        .finally(() => (busy.current = false));
    }, intervalMs);
    return () => clearInterval(timer);
  }, [poll, intervalMs]);

  const run = (a: DashboardAction) => {
    setNote(`${a}…`);
    act(a)
      .then((v) => {
        pausedRef.current = v.paused;
        setView(v);
        setNote(`${a} done`);
      })
      .catch((err: unknown) => setNote(`${a} failed: ${(err as Error).message}`));
  };

  useInput((input) => {
    const pending = confirmRef.current;
    if (pending) {
      if (input === 'y' || input === 'Y') run(pending);
      else setNote(`${pending} cancelled`);
      setConfirm(null);
      return;
    }
    if (input === 'q') exit();
    else if (input === 'p') setConfirm('promote');
    else if (input === 'r') setConfirm('rollback');
    else if (input === ' ') run(pausedRef.current ? 'resume' : 'pause');
  });

  const ended = view.phase === 'rolled_back' || view.phase === 'aborted' || view.phase === 'completed';
  return (
    <Box flexDirection="column">
      <Text bold color={view.phase === 'rolled_back' ? 'red' : view.paused ? 'yellow' : 'cyan'}>{headline(view)}</Text>
      <Text>{splitLine(view)}</Text>
      {view.reason ? <Text color={view.phase === 'rolled_back' ? 'red' : undefined}>{`reason: ${view.reason}`}</Text> : null}
      <Box marginTop={1}>
        {view.windows.length > 0 ? <MetricTable rows={metricRows(view)} /> : <Text dimColor>waiting for the first evaluation…</Text>}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>events</Text>
        {eventLines(view).map((l, i) => <Text key={i} dimColor>{l}</Text>)}
      </Box>
      <Box marginTop={1}>
        {confirm
          ? <Text color="yellow" bold>{confirm === 'promote' ? `Promote ${view.candidate} to 100% now? (y/n)` : `Roll back ${view.candidate}, all traffic to ${view.baseline}? (y/n)`}</Text>
          : <Text dimColor>{`${ended ? '' : 'p promote · r rollback · space ' + (view.paused ? 'resume' : 'pause') + ' · '}q quit${note ? `   ${note}` : ''}`}</Text>}
      </Box>
    </Box>
  );
}
