const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Normalises a logged timestamp (ISO 8601 text, or epoch milliseconds / seconds) to ISO UTC. */
export function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch seconds are < 1e11 until the year 5138; milliseconds are far above.
    const ms = value < 1e11 ? value * 1000 : value;
    return new Date(ms).toISOString();
  }
  // Already canonical (what the export and the gateway write): no parse needed.
  if (typeof value === 'string' && CANONICAL.test(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return toIsoTime(Number(value));
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return undefined;
}

/** Whether an ISO time falls in [since, until). ISO UTC strings compare correctly as text. */
export function inWindow(time: string, since: string | undefined, until: string | undefined): boolean {
  return (since === undefined || time >= since) && (until === undefined || time < until);
}
