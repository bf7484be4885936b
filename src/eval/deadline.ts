/**
 * One attempt's abort signal: fires on the caller's signal or after `timeoutMs`. Everything is
 * released in `done()`, because over 100k attempts a listener left on the long-lived parent
 * signal (as AbortSignal.any does on Node 20) adds up.
 */
export function attemptDeadline(timeoutMs: number, parent?: AbortSignal): { signal: AbortSignal; timedOut: () => boolean; done: () => void } {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onParent = () => ctl.abort(parent?.reason);
  if (parent?.aborted) ctl.abort(parent.reason);
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: ctl.signal,
    timedOut: () => timedOut,
    done: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
