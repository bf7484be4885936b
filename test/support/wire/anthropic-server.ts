/**
 * A real Anthropic Messages server for tests: node:http on 127.0.0.1 (port 0), JSON and SSE with
 * `event:` lines (message_start, content_block_start, content_block_delta…, content_block_stop,
 * message_delta with usage, message_stop), errors in Anthropic's `{ type: 'error', error }` format.
 *
 * @example
 *   const s = await startAnthropicServer({ script: [{ status: 529 }], handler: () => ({ text: 'hi' }) });
 *   const client = new Anthropic({ apiKey: 'k', baseURL: s.url, maxRetries: 0 });
 *   …; await s.close();
 */
import { startWireServer, sseData, type WireDialect, type WireServer, type WireServerOptions } from './core.js';

export type { RecordedRequest, WireHandler, WireReply, WireServer, WireServerOptions } from './core.js';

function errorType(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return 'api_error';
}

const anthropicDialect: WireDialect = {
  paths: ['/v1/messages'],
  basePath: '',
  errorBody: (status, message) => ({ type: 'error', error: { type: errorType(status), message } }),
  jsonBody: (_req, r) => ({
    id: 'msg_test', type: 'message', role: 'assistant', model: r.model,
    content: [{ type: 'text', text: r.text }],
    stop_reason: r.finishReason ?? 'end_turn', stop_sequence: null,
    usage: { input_tokens: r.usage?.inputTokens ?? 0, output_tokens: r.usage?.outputTokens ?? 0 },
  }),
  sseFrames: (_req, r) => {
    const frame = (event: string, data: Record<string, unknown>) => ({ frame: sseData({ type: event, ...data }, event), content: false });
    const frames = [
      frame('message_start', {
        message: { id: 'msg_test', type: 'message', role: 'assistant', model: r.model, content: [], stop_reason: null, stop_sequence: null,
          usage: { input_tokens: r.usage?.inputTokens ?? 0, output_tokens: 1 } },
      }),
      frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      frame('ping', {}),
    ];
    for (const piece of r.chunks) frames.push({ ...frame('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }), content: true });
    frames.push(frame('content_block_stop', { index: 0 }));
    frames.push(frame('message_delta', { delta: { stop_reason: r.finishReason ?? 'end_turn', stop_sequence: null }, usage: { output_tokens: r.usage?.outputTokens ?? 0 } }));
    frames.push(frame('message_stop', {}));
    return frames;
  },
};

/** Starts the server; `url` is the origin, ready for `new Anthropic({ baseURL: s.url })`. */
export function startAnthropicServer(opts: WireServerOptions = {}): Promise<WireServer> {
  return startWireServer(anthropicDialect, opts);
}
