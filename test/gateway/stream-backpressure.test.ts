import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';

// A client that reads a stream slower than its upstream writes must hold the upstream back, not
// make the gateway buffer the whole answer.
const open = closeAfterEach();

const FRAME_CHARS = 16 * 1024;
const FRAMES = 4096; // 64 MB of SSE: more than every socket buffer on the way holds
const frame = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'x'.repeat(FRAME_CHARS) }, finish_reason: null }] })}\n\n`;

describe('a slow streaming client through the gateway', () => {
  it('pauses the upstream while the client does not read, then gets every frame', async () => {
    let written = 0;
    let done = false;
    const upstream = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let i = 0;
        const pump = () => {
          while (i < FRAMES) {
            i++;
            written++;
            if (!res.write(frame)) return void res.once('drain', pump);
          }
          res.end('data: [DONE]\n\n', () => (done = true));
        };
        pump();
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    open.later(() => {
      upstream.closeAllConnections();
      upstream.close();
    });
    const config = splitConfig({ up: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` }, { baseline: { upstream: 'up', weight: 100 } });
    // The upstream deadline covers the whole stream: give 64 MB on a busy test machine room.
    (config.upstreams as Record<string, { timeoutMs: number }>).up!.timeoutMs = 60_000;
    const gw = open.gateway(await startTestGateway(config));

    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, resolve);
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'a long answer, please' }] }));
    });
    expect(res.statusCode).toBe(200);
    res.pause(); // the client reads nothing for a while
    await new Promise((r) => setTimeout(r, 500));
    expect(done).toBe(false);
    expect(written).toBeLessThan(FRAMES);

    let received = 0;
    let tail = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      received += (d.match(/"content":"x/g) ?? []).length;
      tail = (tail + d).slice(-64);
    });
    res.resume(); // a 'data' listener alone does not restart an explicitly paused stream
    await new Promise((r) => res.on('end', r));
    // Frames can split across reads, so count content starts plus the end marker.
    expect(received).toBe(FRAMES);
    expect(tail).toContain('data: [DONE]');
    expect(written).toBe(FRAMES);
  }, 30_000);
});
