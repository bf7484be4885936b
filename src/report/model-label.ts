/** What a model label is made from: a stored run, a run summary, or a progress row. */
export interface LabelledRun {
  model: string;
  provider: string;
  synthetic: boolean;
}

/**
 * Where the answers of a synthetic run came from: `simulated` (the `sim` provider made them up)
 * or `replayed` (the `replay` provider read them from a recording, whatever model made it).
 * Null for a live model. One rule for every table, progress line and report.
 */
export function syntheticSource(run: Omit<LabelledRun, 'model'>): 'simulated' | 'replayed' | null {
  if (run.provider === 'replay') return 'replayed';
  if (run.provider === 'sim' || run.synthetic) return 'simulated';
  return null;
}

/** `demo-fast (simulated)`, `gpt-4o-mini-replay (replayed)`, or the bare name of a live model. */
export function modelLabel(run: LabelledRun): string {
  const source = syntheticSource(run);
  return source ? `${run.model} (${source})` : run.model;
}
