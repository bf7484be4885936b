/**
 * The seam for complexity routing: a `routed` deployment asks an injected RouteDecider which
 * tier (fast/mid/powerful) should answer, then serves the request through that tier's split
 * deployment. The router engineer's `createRouteDecider` (src/router/decide.ts) fits this type.
 */
import type { ChatRequestBody } from './upstream/types.js';
import { contentText } from './upstream/anthropic-translate.js';

export type RouteTier = 'fast' | 'mid' | 'powerful';

/** What a decider reads: structurally the router's RouteRequest. */
export interface GatewayRouteRequest {
  messages: Array<{ role: string; content: string }>;
  maxTokens?: number | undefined;
  wantsJson?: boolean | undefined;
  context?: string | undefined;
  tags?: readonly string[] | undefined;
  tenant?: string | undefined;
}

export interface GatewayRouteDecision {
  tier: RouteTier;
  confidence: number;
  reason: string;
}

export type RouteDecider = (req: GatewayRouteRequest) => GatewayRouteDecision;

/**
 * Upgrade path seam: cheap checks of a fast-tier answer (the router's `checkFastAnswer`). A
 * non-null reason makes the gateway retry the request on the powerful tier and say so in the
 * `x-llmops-upgraded-from` / `x-llmops-upgrade-reason` response headers. Non-streamed requests
 * only: a streamed answer has reached the client before it could be checked.
 */
export type FastAnswerCheck = (req: GatewayRouteRequest, answerText: string) => string | null;

/** Used when no classifier is installed: every request goes to the mid tier (the safe default). */
export const midTierDecider: RouteDecider = () => ({ tier: 'mid', confidence: 0, reason: 'no_classifier' });

/** Builds the decider's view of a chat request; tags come from `metadata.tags` or header x-llmops-tags. */
export function routeRequestOf(body: ChatRequestBody, tenant: string, context: string | undefined, tagsHeader: string | undefined): GatewayRouteRequest {
  const rf = body.response_format as { type?: string } | undefined;
  const meta = body.metadata as { tags?: unknown } | undefined;
  const tags = Array.isArray(meta?.tags) ? meta.tags.filter((t): t is string => typeof t === 'string') : tagsHeader ? tagsHeader.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
  return {
    messages: body.messages.map((m) => ({ role: m.role, content: contentText(m.content) })),
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    wantsJson: rf?.type === 'json_object' || rf?.type === 'json_schema',
    context,
    tags,
    tenant,
  };
}
