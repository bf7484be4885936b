/**
 * A routed gateway deployment retries a fast-tier answer that fails its cheap checks on the
 * powerful tier (`x-llmops-upgraded-from: fast`). The discarded fast answer was paid for, so the
 * request log keeps it — as its own row, request id `<request id>.fast`, tier `fast`, outcome
 * `ok` (src/gateway/chat.ts) — but the user never saw it, so it is not a response to review.
 * The id suffix is the only marker the log has; request ids the gateway makes are UUIDs, so
 * no served request ends in it.
 */
export const UPGRADE_ATTEMPT_SUFFIX = '.fast';

/** The status a source gives such a row: not `ok`, so it is left out and counted as unreviewable. */
export const DISCARDED_STATUS = 'discarded-for-upgrade';

/** Whether a logged row is a fast-tier attempt the gateway discarded for an upgrade. `tier` is undefined when the log has none. */
export function isDiscardedUpgradeAttempt(requestId: string, tier: string | null | undefined): boolean {
  return requestId.endsWith(UPGRADE_ATTEMPT_SUFFIX) && (tier === undefined || tier === null || tier === 'fast');
}
