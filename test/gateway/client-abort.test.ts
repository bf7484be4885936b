import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RequestCompletedEvent } from '../../src/gateway/events.js';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';

// A client that goes away (a closed tab, a cancelled SDK call) must stop the upstream call it
// started, so no more tokens are generated and paid for, and the request is logged as aborted.
const open = closeAfterEach();

const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/** An upstream that answers slowly (a chunk every 100 ms for 10 s, or its head after 10 s) and reports when its client connection closes. */
async function slowUpstream(): Promise<{ url: string; closed: Promise<number>; started: () => number }> {
  let t0 = 0;
  let onClose!: (ms: number) => void;
  const closed = new Promise<number>((r) => (onClose = r));
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      t0 = performance.now();
      res.on('close', () => onClose(performance.now() - t0));
      if (!body.includes('"stream":true')) return; // never answers within the test
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed || ++i > 100) return clearInterval(timer);
        res.write(chunk(`w${i} `));
      }, 100);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  open.later(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed, started: () => t0 };
}

async function gatewayOver(url: string) {
  const config = splitConfig({ up: url }, { baseline: { upstream: 'up', weight: 100 } }, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  (config.upstreams as Record<string, { timeoutMs: number }>).up!.timeoutMs = 30_000;
  const gw = open.gateway(await startTestGateway(config));
  const events: RequestCompletedEvent[] = [];
  gw.runtime.events.on('request', (e) => events.push(e));
  return { gw, events };
}

describe('a client that goes away', () => {
  it('mid-stream: the upstream call is cancelled at once and the request is logged as aborted (499)', async () => {
    const up = await slowUpstream();
    const { gw, events } = await gatewayOver(up.url);
    const ctrl = new AbortController();
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', signal: ctrl.signal, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'go on' }] }) });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('w1');
    ctrl.abort();
    const closedAfterMs = await up.closed;
    expect(closedAfterMs).toBeLessThan(5_000); // the upstream would have gone on for 10 s
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 499, outcome: 'error', errorKind: 'aborted', stream: true });
    expect(events[0]!.responseText).toContain('w1');
  });

  it('before the answer: the upstream call waiting for its head is cancelled too', async () => {
    const up = await slowUpstream();
    const { gw, events } = await gatewayOver(up.url);
    const ctrl = new AbortController();
    const pending = fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', signal: ctrl.signal, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'take your time' }] }) });
    while (up.started() === 0) await new Promise((r) => setTimeout(r, 10));
    ctrl.abort();
    await expect(pending).rejects.toThrow();
    expect(await up.closed).toBeLessThan(5_000);
    for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 499, outcome: 'error', errorKind: 'aborted', stream: false });
  });
});
