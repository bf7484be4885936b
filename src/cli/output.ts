/** Results go to stdout; everything meant for a human watching goes to stderr. */
export function printResult(text: string): void {
  if (closedBy === null) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  if (closedBy === null) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function info(text: string): void {
  if (closedBy === null) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

let closedBy: string | null = null;
const closedListeners = new Set<() => void>();

/**
 * Turns a write error on stdout or stderr — EPIPE when the reader went away (`llmops eval | head
 * -1`), EIO when the terminal hung up — from an uncaught exception (exit 1, "gate failed") into
 * "output closed": later writes are dropped and the listeners of onOutputClosed run once, so a
 * running eval stops as on Ctrl-C. Installed once, by main.
 */
export function guardOutputStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (closedBy !== null) return;
      closedBy = `${stream === process.stdout ? 'stdout' : 'stderr'}: ${err.code ?? err.message}`;
      for (const fn of [...closedListeners]) fn();
      closedListeners.clear();
    });
  }
}

/** Runs `fn` once when stdout or stderr closes under us (at once if it already has); returns an unsubscribe. */
export function onOutputClosed(fn: () => void): () => void {
  if (closedBy !== null) {
    fn();
    return () => {};
  }
  closedListeners.add(fn);
  return () => { closedListeners.delete(fn); };
}

const useColor = () => process.stderr.isTTY === true && !process.env.NO_COLOR;
export const red = (s: string) => (useColor() ? `\u001b[31m${s}\u001b[39m` : s);
export const yellow = (s: string) => (useColor() ? `\u001b[33m${s}\u001b[39m` : s);
export const dim = (s: string) => (useColor() ? `\u001b[2m${s}\u001b[22m` : s);
