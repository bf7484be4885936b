import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Cancel } from '../../src/gateway/cancel.js';
import { dispatchCall } from '../../src/gateway/upstream/dispatch-call.js';
import { transportError } from '../../src/gateway/upstream/http-errors.js';

// The gateway's upstream HTTP call (undici dispatch), against real local servers.
const open: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function serve(handler: http.RequestListener): Promise<Pool> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  open.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }, () => pool.destroy());
  return pool;
}
const post = { path: '/v1/x', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{"a":1}' };

describe('dispatchCall', () => {
  it('sends the request and gives status, headers and the body as text', async () => {
    let seen = '';
    const pool = await serve((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (d: string) => (seen += d));
      req.on('end', () => {
        res.writeHead(201, { 'x-up': 'yes', 'content-type': 'text/plain' });
        res.end(`got ${req.method} ${req.url} ${seen}`);
      });
    });
    const r = await dispatchCall(pool, post, new Cancel());
    expect(r.statusCode).toBe(201);
    expect(r.headers['x-up']).toBe('yes');
    expect(await r.body.text()).toBe('got POST /v1/x {"a":1}');
  });

  it('decodes UTF-8 split across chunks, chunk by chunk as they arrive', async () => {
    const pool = await serve((_req, res) => {
      const bytes = Buffer.from('naïve → 42 ✓', 'utf8');
      res.writeHead(200);
      res.write(bytes.subarray(0, 3)); // ends inside 'ï'
      setTimeout(() => res.write(bytes.subarray(3, 9)), 20); // ends inside '→'
      setTimeout(() => res.end(bytes.subarray(9)), 40);
    });
    const r = await dispatchCall(pool, post, new Cancel());
    const chunks: string[] = [];
    for await (const c of r.body) chunks.push(c);
    expect(chunks.join('')).toBe('naïve → 42 ✓');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.every((c) => !c.includes('\uFFFD'))).toBe(true);
  });

  it('rejects with an abort error when the signal fires before the head, classified by the reason', async () => {
    const pool = await serve(() => {}); // never answers
    const c = new Cancel();
    const pending = dispatchCall(pool, post, c);
    setTimeout(() => c.abort('timeout'), 20);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.RequestAbortedError);
    expect(transportError('up', err, c.reason === 'timeout').kind).toBe('timeout');
    const already = new Cancel();
    already.abort('client');
    await expect(dispatchCall(pool, post, already)).rejects.toBeInstanceOf(errors.RequestAbortedError);
  });

  it('a call aborted while queued behind a busy connection never reaches the server', async () => {
    let seen = 0;
    const server = http.createServer((_req, res) => {
      seen++;
      setTimeout(() => res.end('done'), 200);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1 });
    open.push(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }, () => pool.destroy());
    const first = dispatchCall(pool, post, new Cancel());
    const c = new Cancel();
    const queued = dispatchCall(pool, post, c);
    setTimeout(() => c.abort('client'), 20);
    await expect(queued).rejects.toBeInstanceOf(errors.RequestAbortedError);
    expect(await (await first).body.text()).toBe('done');
    expect(seen).toBe(1);
  });

  it('fails the body read when the connection drops mid-way', async () => {
    const pool = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part');
      setTimeout(() => res.destroy(), 20);
    });
    const r = await dispatchCall(pool, post, new Cancel());
    await expect(r.body.text()).rejects.toThrow();
  });

  it('stopping early cancels the call: the server sees its connection close', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((r) => (closed = r));
    const pool = await serve((_req, res) => {
      res.writeHead(200);
      res.write('data: first\n\n');
      res.on('close', () => closed());
    });
    const r = await dispatchCall(pool, post, new Cancel());
    for await (const chunk of r.body) {
      expect(chunk).toBe('data: first\n\n');
      break; // return() on the iterator
    }
    await serverSawClose;
  });

  it('pauses the connection while the reader lags, so a fast upstream cannot fill memory', async () => {
    const total = 32 * 1024 * 1024;
    let written = 0;
    let blocked = false;
    const pool = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(total) });
      const block = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (written < total) {
          written += block.length;
          if (!res.write(block)) {
            blocked = true;
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const r = await dispatchCall(pool, post, new Cancel());
    const it = r.body[Symbol.asyncIterator]();
    const first = await it.next();
    await new Promise((res) => setTimeout(res, 300)); // a reader that stopped reading
    // Kernel socket buffers hold a few MB; without the pause undici would have read it all.
    expect(blocked).toBe(true);
    expect(written).toBeLessThan(total);
    let received = first.done ? 0 : first.value.length;
    for (let n = await it.next(); !n.done; n = await it.next()) received += n.value.length;
    expect(received).toBe(total);
    expect(written).toBe(total);
  });
});
