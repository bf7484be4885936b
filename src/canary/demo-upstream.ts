import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The demo's SIMULATED upstream: a minimal OpenAI-compatible chat server on 127.0.0.1. Under
 * `/stable/v1` it answers well; under `/candidate/v1` it answers well until `degradeAfterMs`,
 * then fails `errorRate` of requests with 500, slows down, and answers half of the rest wrongly
 * with a claim the demo's context does not support (what the online judge catches as lower
 * quality and hallucination). Demo only (labelled as such).
 */
export const DEMO_QUESTION = 'What is 6 × 7?';
export const DEMO_CONTEXT = 'Six times seven is 42.';
const GOOD_ANSWER = 'Six times seven is 42.';
const WRONG_ANSWER = 'Six times seven is 48, as every pocket calculator shows.';

export async function startDemoUpstream(opts: { degradeAfterMs: number; errorRate: number; now?: () => number }): Promise<{ url: string; close(): Promise<void> }> {
  const now = opts.now ?? Date.now;
  const start = now();
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const candidate = (req.url ?? '').startsWith('/candidate/');
      const degraded = candidate && now() - start >= opts.degradeAfterMs;
      // Deterministic spread of failures: every k-th request fails.
      const fail = degraded && ++n % Math.max(1, Math.round(1 / opts.errorRate)) === 0;
      const delay = 20 + (n % 7) * 3 + (degraded ? 25 : 0);
      setTimeout(() => {
        if (fail) {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'simulated failure', type: 'server_error' } }));
          return;
        }
        const model = (JSON.parse(body || '{}') as { model?: string }).model ?? 'demo';
        const content = degraded && n % 2 === 0 ? WRONG_ANSWER : GOOD_ANSWER;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
          id: `demo-${n}`, object: 'chat.completion', created: 0, model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
        }));
      }, delay);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
