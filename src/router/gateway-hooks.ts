import type { LoadedConfig } from '../config/load.js';
import { routingPolicyFrom } from './config.js';
import { createRouteDecider } from './decide.js';
import { loadModel } from './load-model.js';
import type { UpgradeChecks } from './policy.js';
import type { RouteDecision, RouteRequest } from './types.js';
import { checkFastAnswer, type UpgradeReason } from './upgrade.js';

/**
 * The upgrade-path check the gateway runs on a fast-tier answer: null when it passes, else why it
 * must be retried on the powerful tier. The judge check needs a judge score, which the gateway
 * does not compute on the request path, so only empty / refusal / invalid_json apply here.
 */
export function createFastAnswerCheck(checks: UpgradeChecks): ((req: RouteRequest, answerText: string) => UpgradeReason | null) | undefined {
  if (!checks.enabled) return undefined;
  return function fastAnswerCheck(req, answerText) {
    return checkFastAnswer({ text: answerText, wantsJson: req.wantsJson }, checks);
  };
}

/** Classifier and upgrade checks for the gateway's routed deployments, from llmops.yaml `router:`. */
export function routingHooksFrom(loaded: LoadedConfig): {
  routeDecider: (req: RouteRequest) => RouteDecision;
  fastAnswerCheck: ((req: RouteRequest, answerText: string) => UpgradeReason | null) | undefined;
} {
  const { policy, modelFile } = routingPolicyFrom(loaded);
  return { routeDecider: createRouteDecider(loadModel(modelFile), policy), fastAnswerCheck: createFastAnswerCheck(policy.upgrade) };
}

/** Just the upgrade checks of llmops.yaml `router.upgrade` (undefined when disabled). */
export function fastAnswerCheckFrom(loaded: LoadedConfig): ((req: RouteRequest, answerText: string) => UpgradeReason | null) | undefined {
  return createFastAnswerCheck(routingPolicyFrom(loaded).policy.upgrade);
}
