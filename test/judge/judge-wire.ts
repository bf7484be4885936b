/**
 * A scripted judge upstream for tests: a real HTTP server on 127.0.0.1 speaking the OpenAI
 * chat-completions and Anthropic messages wire formats (JSON and SSE), replying from a script so
 * tests can serve valid verdicts, malformed JSON, refusals, errors and hangs to the official SDKs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedReply =
  | { text: string; inputTokens?: number; outputTokens?: number }
  | { refusal: string }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hangMs: number };

export interface JudgeWire {
  url: string;
  /** Bodies of every request received, in order. */
  requests: Array<{ path: string; body: Record<string, unknown> }>;
  /** Replies still to serve; when empty, `fallback` answers. */
  script: ScriptedReply[];
  fallback: (body: Record<string, unknown>) => ScriptedReply;
  close(): Promise<void>;
}

function sse(res: http.ServerResponse, events: Array<{ event?: string; data: unknown }>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`);
  res.end();
}

function openaiReply(res: http.ServerResponse, body: Record<string, unknown>, r: { text: string | null; refusal: string | null; inputTokens: number; outputTokens: number }): void {
  const model = String(body.model);
  const created = 1_700_000_000;
  const usage = { prompt_tokens: r.inputTokens, completion_tokens: r.outputTokens, total_tokens: r.inputTokens + r.outputTokens };
  if (body.stream === true) {
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({ id: 'chatcmpl-judge', object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
    sse(res, [
      { data: chunk({ role: 'assistant', content: '' }, null) },
      { data: chunk(r.refusal !== null ? { refusal: r.refusal } : { content: r.text }, null) },
      { data: chunk({}, 'stop') },
      { data: { id: 'chatcmpl-judge', object: 'chat.completion.chunk', created, model, choices: [], usage } },
      { data: '[DONE]' },
    ]);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({
    id: 'chatcmpl-judge', object: 'chat.completion', created, model,
    choices: [{ index: 0, message: { role: 'assistant', content: r.text, refusal: r.refusal }, finish_reason: 'stop', logprobs: null }],
    usage,
  }));
}

function anthropicReply(res: http.ServerResponse, body: Record<string, unknown>, r: { text: string | null; refusal: string | null; inputTokens: number; outputTokens: number }): void {
  const model = String(body.model);
  // Anthropic reports a refusal as stop_reason "refusal" (content may be empty).
  const text = r.text ?? '';
  const stop = r.refusal !== null ? 'refusal' : 'end_turn';
  if (body.stream === true) {
    sse(res, [
      { event: 'message_start', data: { type: 'message_start', message: { id: 'msg_judge', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: r.inputTokens, output_tokens: 1 } } } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
      ...(text ? [{ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } } }] : []),
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: r.outputTokens } } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({
    id: 'msg_judge', type: 'message', role: 'assistant', model,
    content: text ? [{ type: 'text', text }] : [],
    stop_reason: stop, stop_sequence: null,
    usage: { input_tokens: r.inputTokens, output_tokens: r.outputTokens },
  }));
}

export async function startJudgeWire(fallback: JudgeWire['fallback'] = () => ({ status: 500, body: { error: { message: 'no scripted reply' } } })): Promise<JudgeWire> {
  const wire: Omit<JudgeWire, 'url' | 'close'> = { requests: [], script: [], fallback };
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      wire.requests.push({ path, body });
      const reply = wire.script.shift() ?? wire.fallback(body);
      if ('hangMs' in reply) {
        const t = setTimeout(() => res.destroy(), reply.hangMs);
        res.on('close', () => clearTimeout(t));
        return;
      }
      if ('status' in reply) {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.body ?? { error: { type: 'api_error', message: `scripted ${reply.status}` } }));
        return;
      }
      const r = 'refusal' in reply
        ? { text: null, refusal: reply.refusal, inputTokens: 40, outputTokens: 8 }
        : { text: reply.text, refusal: null, inputTokens: reply.inputTokens ?? 100, outputTokens: reply.outputTokens ?? 20 };
      if (path.endsWith('/messages')) anthropicReply(res, body, r);
      else if (path.endsWith('/chat/completions')) openaiReply(res, body, r);
      else {
        res.writeHead(404).end();
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  // One object: tests mutate `script` and `fallback` and the handler sees the change.
  return Object.assign(wire, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  });
}
