/** The three model tiers a routed deployment spreads traffic over, cheapest first. */
export const TIERS = ['fast', 'mid', 'powerful'] as const;
export type Tier = (typeof TIERS)[number];

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

/** Tier rank, so "at least as capable as" is a number comparison. */
export const tierRank = (t: Tier): number => TIERS.indexOf(t);

/** One chat message as the classifier sees it (OpenAI-style roles; content already flattened to text). */
export interface RouteMessage {
  role: string;
  content: string;
}

/**
 * What the classifier reads from a request. Built from an OpenAI chat request by the gateway
 * (`routeRequestOf` in src/gateway/routing.ts) or from a bare query by the CLI (`fromQuery`).
 */
export interface RouteRequest {
  messages: RouteMessage[];
  /** Requested output budget (max_tokens / max_completion_tokens), when the client set one. */
  maxTokens?: number | undefined;
  /** The client asked for JSON output (response_format json_object / json_schema). */
  wantsJson?: boolean | undefined;
  /** Retrieved documents supplied with the request (RAG), as text. */
  context?: string | undefined;
  /** Operation or stakes tags (e.g. "legal-review", "stakes:high") from request metadata. */
  tags?: readonly string[] | undefined;
  tenant?: string | undefined;
}

/** Why a tier was chosen; also a label of `llmops_route_decisions_total{reason}`. */
export type RouteReason = 'classifier' | 'low_confidence' | 'override' | 'upgrade';

export interface RouteDecision {
  tier: Tier;
  /** Calibrated probability of the tier the classifier predicted (1 for overrides). */
  confidence: number;
  reason: RouteReason;
  /** Tier the classifier predicted before the confidence fallback (absent for overrides). */
  predicted?: Tier | undefined;
  /** The override rule that fired, for overrides. */
  rule?: string | undefined;
}
