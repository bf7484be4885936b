/**
 * A real OpenAI Chat Completions server for tests: node:http on 127.0.0.1 (port 0), JSON and SSE
 * (`data: {chunk}` … usage chunk … `data: [DONE]`), errors in OpenAI's `{ error: {…} }` format.
 *
 * @example
 *   const s = await startOpenAIServer({ handler: (r) => ({ text: `echo ${r.body.model}` }) });
 *   const client = new OpenAI({ apiKey: 'k', baseURL: s.url, maxRetries: 0 });
 *   s.enqueue({ status: 429, headers: { 'retry-after': '2' } }); // next request only
 *   …; expect(s.requests[0]?.body.stream).toBe(true); await s.close();
 */
import { startWireServer, sseData, type RecordedRequest, type ResolvedReply, type WireDialect, type WireServer, type WireServerOptions } from './core.js';

export type { RecordedRequest, WireHandler, WireReply, WireServer, WireServerOptions } from './core.js';

const CREATED = 1_700_000_000;

function errorType(status: number): string {
  if (status === 401) return 'invalid_api_key';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function usageOf(r: ResolvedReply) {
  return r.usage && { prompt_tokens: r.usage.inputTokens, completion_tokens: r.usage.outputTokens, total_tokens: r.usage.inputTokens + r.usage.outputTokens };
}

const openaiDialect: WireDialect = {
  paths: ['/v1/chat/completions', '/chat/completions'],
  basePath: '/v1',
  errorBody: (status, message) => ({ error: { message, type: errorType(status), param: null, code: status === 429 ? 'rate_limit_exceeded' : null } }),
  jsonBody: (_req: RecordedRequest, r) => ({
    id: 'chatcmpl-test', object: 'chat.completion', created: CREATED, model: r.model,
    choices: [{ index: 0, message: { role: 'assistant', content: r.text, refusal: null }, finish_reason: r.finishReason ?? 'stop', logprobs: null }],
    ...(r.usage ? { usage: usageOf(r) } : {}),
  }),
  sseFrames: (req, r) => {
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      ({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: CREATED, model: r.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
    const frames = [{ frame: sseData(chunk({ role: 'assistant', content: '' }, null)), content: false }];
    for (const piece of r.chunks) frames.push({ frame: sseData(chunk({ content: piece }, null)), content: true });
    frames.push({ frame: sseData(chunk({}, r.finishReason ?? 'stop')), content: false });
    const opts = req.body.stream_options as { include_usage?: boolean } | undefined;
    // Like OpenAI: the usage chunk (empty choices) comes only when the client asked for it.
    if (r.usage && opts?.include_usage) frames.push({ frame: sseData({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: CREATED, model: r.model, choices: [], usage: usageOf(r) }), content: false });
    frames.push({ frame: sseData('[DONE]'), content: false });
    return frames;
  },
};

/** Starts the server; `url` ends in `/v1`, ready for `new OpenAI({ baseURL: s.url })`. */
export function startOpenAIServer(opts: WireServerOptions = {}): Promise<WireServer> {
  return startWireServer(openaiDialect, opts);
}
