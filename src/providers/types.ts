/**
 * The provider extension point: one interface, one file per implementation
 * (openai.ts, anthropic.ts, sim.ts, replay.ts). Providers make exactly one attempt per call and
 * *classify* their failures; the eval runner and the gateway own the single retry policy.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  /** Ask for a JSON object (OpenAI response_format json_object; prefilled/instructed elsewhere). */
  json?: boolean;
  /** Abort the attempt (per-request timeout, Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Called with each piece of answer text as it arrives (streamed providers), so a gateway can
   * relay tokens before the call completes; non-streamed providers call it once with the whole
   * text. The concatenated pieces equal the result's `text`.
   */
  onDelta?: (piece: string) => void;
  /**
   * Information only the `sim` provider may read, so a simulated model can be right or wrong
   * against the labelled answer (`salt` varies per run/repeat to model sampling noise).
   * Real providers must ignore it.
   */
  simHints?: { caseId?: string; expected?: string; salt?: string };
}

export interface CompletionResult {
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** Wall time of the attempt, request sent → last byte. */
  latencyMs: number;
  /** Time to first content token when streamed; null when the provider did not stream. */
  ttftMs: number | null;
  finishReason?: string | undefined;
  /** The upstream's own model id, when it reports one. */
  model?: string | undefined;
}

export type ProviderErrorKind =
  | 'rate_limit' // 429: retry after Retry-After
  | 'transient' // 5xx, overloaded: retry with backoff
  | 'timeout' // our deadline passed: retry
  | 'network' // connection refused/reset, stream cut: retry
  | 'auth' // 401/403: never retry, user must fix a key
  | 'bad_request' // 4xx other than 429: never retry
  | 'not_found' // replay has no recording for this request
  | 'aborted'; // cancelled by the user

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  /** Server-requested wait before retrying (Retry-After / retry-after-ms), in ms. */
  readonly retryAfterMs: number | undefined;
  constructor(kind: ProviderErrorKind, message: string, opts: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
  get retryable(): boolean {
    return this.kind === 'rate_limit' || this.kind === 'transient' || this.kind === 'timeout' || this.kind === 'network';
  }
}

export interface Provider {
  /** The model ref this provider serves, e.g. `demo-fast` or `openai:gpt-4o-mini`. */
  readonly ref: string;
  /** Scope of concurrency and rate limits: requests sharing a key share an upstream. */
  readonly connectionKey: string;
  /** True for sim/replay: results are labelled as simulated/replayed everywhere. */
  readonly synthetic: boolean;
  complete(req: CompletionRequest): Promise<CompletionResult>;
}
