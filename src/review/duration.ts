const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Parses a look-back like `7d`, `36h`, `90m`, `2w`, `45s` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  return ms > 0 ? ms : undefined;
}

/** `--since` accepts a look-back (`7d`) or an absolute ISO date/time; returns ISO UTC. */
export function resolveSince(text: string, now: Date): string | undefined {
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(now.getTime() - ms).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
