import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Response as UndiciResponse } from 'undici';
import { requestFetch } from '../../src/providers/request-fetch.js';

let server: http.Server;
let base: string;
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/sse') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"a":1}\n\n');
        setTimeout(() => res.end('data: [DONE]\n\n'), 5);
        return;
      }
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-request-id': 'req-9' });
      res.end(JSON.stringify({ echo: body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('requestFetch (the openai SDK fetch on undici.request)', () => {
  const f = requestFetch(4);
  it('sends method, headers (a Headers object too) and a string body; reads status, headers, json', async () => {
    const res = await f(`${base}/v1/x?q=1`, { method: 'POST', headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer k' }), body: '{"m":1}' });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${base}/v1/x?q=1`);
    expect(res.headers.get('x-request-id')).toBe('req-9');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await res.json()).toEqual({ echo: '{"m":1}' });
    const last = seen[seen.length - 1]!;
    expect([last.method, last.url, last.headers.authorization, last.body]).toEqual(['POST', '/v1/x?q=1', 'Bearer k', '{"m":1}']);
  });
  it('a non-2xx answer is not ok and its text is readable', async () => {
    const res = await f(`${base}/missing`, { method: 'GET' });
    expect([res.status, res.ok]).toEqual([404, false]);
    expect(await res.text()).toBe('{"echo":""}');
  });
  it('streams the body as an async iterable of bytes', async () => {
    const res = await f(`${base}/sse`, { method: 'POST', body: '{}' });
    let text = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += Buffer.from(chunk).toString('utf8');
    expect(text).toBe('data: {"a":1}\n\ndata: [DONE]\n\n');
  });
  it('other body kinds go through undici fetch, unchanged', async () => {
    const res = await f(`${base}/form`, { method: 'POST', body: new URLSearchParams({ a: 'b' }) });
    expect(await res.json()).toEqual({ echo: 'a=b' });
    expect(res).toBeInstanceOf(UndiciResponse); // a full fetch Response, from the fallback
  });
  it('an aborted signal rejects the request', async () => {
    const ctrl = new AbortController();
    ctrl.abort(new Error('stop'));
    await expect(f(`${base}/v1/x`, { method: 'POST', body: '{}', signal: ctrl.signal })).rejects.toThrow('stop');
  });
});
