/**
 * The shared machinery of the wire-protocol test servers (openai-server.ts, anthropic-server.ts):
 * a real node:http server on 127.0.0.1, port 0, that records every request, asks a handler (or
 * a queue of scripted replies) what to answer, and applies the scripted misbehaviour — delays,
 * error statuses with headers, sockets destroyed mid-stream.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test server should answer to one request. Every field is optional. */
export interface WireReply {
  /** Answer text (default "ok"). */
  text?: string;
  /** Streamed content pieces; default: `text` split into up to 3 pieces. */
  chunks?: string[];
  /** A non-2xx status makes the server answer with an error body in the API's own format. */
  status?: number;
  /** Message of the error body (default derived from the status). */
  errorMessage?: string;
  /** Extra response headers, e.g. `{ 'retry-after': '2' }`. */
  headers?: Record<string, string>;
  /** Wait this long before sending the status line and headers. */
  headersDelayMs?: number;
  /** Wait this long before each streamed chunk (SSE) after the headers. */
  chunkDelayMs?: number;
  /**
   * Destroy the socket (a TCP reset, no clean end) after this many content chunks have been
   * streamed; 0 = right after the headers. For non-streamed replies: after the headers.
   */
  destroyAfterChunks?: number;
  /** Token usage to report; `null` omits usage altogether. Default: ≈ chars / 4. */
  usage?: { inputTokens: number; outputTokens: number } | null;
  /** finish_reason (OpenAI) / stop_reason (Anthropic); default "stop" / "end_turn". */
  finishReason?: string;
  /** Model id to report; default: the requested model. */
  model?: string;
  /** Send exactly this body (status `status` or 200, content-type JSON), no formatting. */
  rawBody?: string;
}

/** One request as the server received it. */
export interface RecordedRequest {
  /** 0-based arrival order. */
  index: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body ({} when empty or not JSON). */
  body: Record<string, unknown>;
  /** Whether the client asked for a stream (`"stream": true`). */
  stream: boolean;
}

export type WireHandler = (req: RecordedRequest) => WireReply | Promise<WireReply>;

export interface WireServerOptions {
  /** Answers every request not served from the script (default: `{ text: 'ok' }`). */
  handler?: WireHandler;
  /** Replies served first, one per request, in order; then `handler` answers. */
  script?: WireReply[];
}

export interface WireServer {
  /** Base URL to hand to the SDK (`baseURL`). */
  readonly url: string;
  /** `http://127.0.0.1:<port>` without any path. */
  readonly origin: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Number of requests received so far. */
  readonly requestCount: number;
  /** Replace the handler for subsequent requests. */
  setHandler(handler: WireHandler): void;
  /** Append scripted replies, served before the handler. */
  enqueue(...replies: WireReply[]): void;
  /** Stop listening and destroy any open connection. */
  close(): Promise<void>;
}

/** How one API formats its answers; the core does the HTTP. */
export interface WireDialect {
  /** Paths (after the origin) this API serves with POST. */
  paths: string[];
  /** Path suffix of `url` (e.g. "/v1" for OpenAI, "" for Anthropic). */
  basePath: string;
  errorBody(status: number, message: string): unknown;
  /** Complete JSON body of a non-streamed answer. */
  jsonBody(req: RecordedRequest, reply: ResolvedReply): unknown;
  /** SSE frames of a streamed answer: the content chunks are marked so destroyAfterChunks can count them. */
  sseFrames(req: RecordedRequest, reply: ResolvedReply): Array<{ frame: string; content: boolean }>;
}

/** A reply with defaults filled in. */
export interface ResolvedReply {
  text: string;
  chunks: string[];
  usage: { inputTokens: number; outputTokens: number } | null;
  finishReason: string | undefined;
  model: string;
}

export const sseData = (data: unknown, event?: string): string =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Roughly chars / 4 over the request's message contents, like the providers' own fallback. */
function approxInputTokens(body: Record<string, unknown>): number {
  let chars = typeof body.system === 'string' ? body.system.length : 0;
  if (Array.isArray(body.messages)) {
    for (const m of body.messages as Array<{ content?: unknown }>) chars += typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content ?? '').length;
  }
  return Math.max(1, Math.ceil(chars / 4));
}

function splitText(text: string): string[] {
  if (text.length < 3) return [text];
  const a = Math.ceil(text.length / 3);
  return [text.slice(0, a), text.slice(a, 2 * a), text.slice(2 * a)].filter((s) => s.length > 0);
}

function resolveReply(req: RecordedRequest, r: WireReply): ResolvedReply {
  const text = r.text ?? (r.chunks ? r.chunks.join('') : 'ok');
  return {
    text,
    chunks: r.chunks ?? splitText(text),
    usage: r.usage === null ? null : (r.usage ?? { inputTokens: approxInputTokens(req.body), outputTokens: Math.max(1, Math.ceil(text.length / 4)) }),
    finishReason: r.finishReason,
    model: r.model ?? (typeof req.body.model === 'string' ? req.body.model : 'unknown-model'),
  };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startWireServer(dialect: WireDialect, opts: WireServerOptions = {}): Promise<WireServer> {
  let handler: WireHandler = opts.handler ?? (() => ({ text: 'ok' }));
  const script: WireReply[] = [...(opts.script ?? [])];
  const requests: RecordedRequest[] = [];

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'POST' || !dialect.paths.includes(path)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(dialect.errorBody(404, `no route ${req.method ?? ''} ${path}`)));
      return;
    }
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch { /* recorded as {} — the test sees what arrived via headers/path */ }
    const rec: RecordedRequest = { index: requests.length, method: req.method, path, headers: req.headers, body, stream: body.stream === true };
    requests.push(rec);
    const reply = script.shift() ?? (await handler(rec));

    if (reply.headersDelayMs) await sleep(reply.headersDelayMs);
    if (res.destroyed) return; // the client gave up (timeout) while we waited
    const status = reply.status ?? 200;
    const extra = reply.headers ?? {};
    if (reply.rawBody !== undefined) {
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(reply.rawBody);
      return;
    }
    if (status >= 300) {
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(dialect.errorBody(status, reply.errorMessage ?? http.STATUS_CODES[status] ?? `status ${status}`)));
      return;
    }
    const resolved = resolveReply(rec, reply);
    if (!rec.stream) {
      if (reply.destroyAfterChunks !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json', ...extra });
        res.flushHeaders();
        res.socket?.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(dialect.jsonBody(rec, resolved)));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...extra });
    res.flushHeaders();
    const cutAfter = reply.destroyAfterChunks;
    if (cutAfter === 0) {
      res.socket?.destroy();
      return;
    }
    let contentSent = 0;
    for (const f of dialect.sseFrames(rec, resolved)) {
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      if (res.destroyed) return;
      if (f.content && cutAfter !== undefined && contentSent === cutAfter - 1) {
        // Make sure the last frame reaches the client before the reset, so it sees partial content.
        await new Promise<void>((r) => res.write(f.frame, () => r()));
        res.socket?.destroy();
        return;
      }
      res.write(f.frame);
      if (f.content) contentSent++;
    }
    res.end();
  };

  const server = http.createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(dialect.errorBody(500, `test server handler failed: ${String(err)}`)));
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin + dialect.basePath,
    origin,
    requests,
    get requestCount() { return requests.length; },
    setHandler(h) { handler = h; },
    enqueue(...replies) { script.push(...replies); },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
