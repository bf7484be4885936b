/**
 * Structured JSON logs (one object per line on stderr). Fields pass an allowlist, so secrets,
 * keys, headers and message content can never reach a log line by accident.
 */
const ALLOWED = new Set([
  'requestId', 'deployment', 'variant', 'upstream', 'tenant', 'status', 'latencyMs', 'ttftMs', 'errorKind', 'attempts', 'reason',
  'host', 'port', 'url', 'inFlight', 'graceMs', 'actor', 'type', 'weights', 'state', 'tier', 'error', 'count', 'path',
]);

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (ALLOWED.has(k)) out[k] = v;
  return out;
}

export function createJsonLogger(opts: { level?: LogLevel; write?: (line: string) => void; now?: () => number } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const now = opts.now ?? Date.now;
  return {
    log(level, msg, fields = {}) {
      if (ORDER[level] < min) return;
      write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, msg, ...redactFields(fields) })}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };
