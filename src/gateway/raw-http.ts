/**
 * The data-plane hot path on raw node:http. Measured with test/bench/gateway.bench.ts (64 in
 * flight, same machine and run conditions): chat completions through fastify's route and reply
 * pipeline saturated at ~1,860 req/s, on node:http at ~2,440 req/s (+31%); the profile showed
 * fastify's reply path (onSend hooks, AsyncResource per body parse) on every request. Fastify
 * still serves every other route (admin, metrics, models, feedback) through its serverFactory.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from './http-errors.js';

export interface ChatHttpRequest {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** The small part of a reply API the chat handler uses; one write per non-streamed response. */
export class RawReply {
  private status = 200;
  private readonly headers: Record<string, string> = {};
  constructor(readonly raw: ServerResponse) {}

  header(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }
  code(status: number): this {
    this.status = status;
    return this;
  }
  type(contentType: string): this {
    this.headers['content-type'] = contentType;
    return this;
  }
  /** Status line, headers and body in one socket write (Node joins a string body to the header). */
  send(body: string): void {
    this.headers['content-length'] = String(Buffer.byteLength(body));
    this.raw.writeHead(this.status, this.headers);
    this.raw.end(body);
  }
  /** Streams write their own head on `raw`; kept for symmetry with framework replies. */
  hijack(): void {}
}

function reject(res: ServerResponse, status: number, message: string, code: string, close = false): void {
  const body = errorBody({ message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...(close ? { connection: 'close' } : {}) });
  res.end(body);
}

/**
 * Reads and parses a JSON body up to `limit` bytes; answers 413/400 itself and resolves
 * undefined in that case.
 */
export function readJsonBody(req: IncomingMessage, res: ServerResponse, limit: number, onTooLarge: () => void): Promise<{ body: unknown } | undefined> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    onTooLarge();
    reject(res, 413, `Request body larger than ${limit} bytes.`, 'request_too_large', true);
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        onTooLarge();
        reject(res, 413, `Request body larger than ${limit} bytes.`, 'request_too_large', true);
        resolve(undefined);
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      const text = parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts).toString('utf8');
      try {
        resolve({ body: text === '' ? undefined : (JSON.parse(text) as unknown) });
      } catch (err) {
        reject(res, 400, `Invalid JSON body: ${(err as Error).message}`, 'invalid_json');
        resolve(undefined);
      }
    });
    req.on('error', () => {
      if (!failed) resolve(undefined);
      failed = true;
    });
  });
}

export { reject as rejectRaw };
