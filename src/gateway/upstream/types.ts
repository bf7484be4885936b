/**
 * The upstream extension point: one interface, one file per kind (openai.ts, anthropic.ts,
 * sim.ts). An upstream makes exactly one attempt and throws a classified ProviderError; the
 * gateway's attempt loop (../attempts.ts) owns retries, breakers and fallback.
 * Every upstream speaks OpenAI chat-completions *to the gateway*: the anthropic one translates.
 */
import type { CancelSignal } from '../cancel.js';

export interface ChatMessageBody {
  role: string;
  content?: unknown;
  [key: string]: unknown;
}

/** The client's request body as accepted by the gateway (OpenAI chat completions). */
export interface ChatRequestBody {
  model: string;
  messages: ChatMessageBody[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  temperature?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  user?: string;
  [key: string]: unknown;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface UpstreamCompletion {
  /** The chat.completion body to send to the client, serialized. */
  body: string;
  text: string;
  usage: Usage;
}

/** One streamed piece, already in OpenAI chunk format. */
export interface StreamPiece {
  /** A complete SSE frame (`data: …\n\n`) to forward; absent for pieces only carrying usage. */
  frame?: string;
  /** Content text carried by this piece. */
  text?: string;
  /** Final usage, when this piece reports it. */
  usage?: Usage;
  /** The frame is the usage-only chunk, forwarded only when the client asked for usage. */
  usageOnly?: boolean;
  /** The `[DONE]` terminator. */
  done?: boolean;
  /** The choice's finish_reason, on the piece that carries it. */
  finishReason?: string;
  /** The delta carried more than text (tool or function calls): the answer is not its text alone. */
  nonText?: boolean;
}

export interface Upstream {
  readonly name: string;
  readonly type: 'openai' | 'anthropic' | 'sim';
  /** True for the simulated upstream: labelled simulated in responses and listings. */
  readonly synthetic: boolean;
  complete(body: ChatRequestBody, signal: CancelSignal): Promise<UpstreamCompletion>;
  /**
   * Starts a stream. Resolves once the upstream accepted the request (2xx and headers), so a
   * failure before that can be retried; pieces then arrive as the upstream sends them.
   */
  stream(body: ChatRequestBody, signal: CancelSignal): Promise<AsyncIterable<StreamPiece>>;
  close(): Promise<void>;
}
