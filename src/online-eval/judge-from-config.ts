import type { LoadedConfig } from '../config/load.js';
import { MemoryJudgeCache } from '../judge/cache.js';
import { registryProviders } from '../judge/registry-providers.js';
import { createJudge, isSimJudgeRef } from '../judge/resolve.js';
import { JudgeOnline } from './judge-online.js';
import type { OnlineJudge } from './types.js';

export interface ChosenOnlineJudge {
  judge: OnlineJudge;
  /** The model ref that judges: `canary.onlineEval.judge`, else `judge.model`, else `sim:judge`. */
  ref: string;
  /** True for the sim judge: its scores are a heuristic, not a model's verdict. */
  synthetic: boolean;
}

/**
 * The judge of online evaluation for `gateway start`. A real model goes through the same
 * providers and LlmJudge as offline judging (JSON mode, validated replies, one repair retry);
 * live answers rarely repeat, so it gets a small cache of its own rather than the eval's.
 * Throws MissingEnvError before the gateway starts when the model's API key is not set.
 */
export async function onlineJudgeFrom(loaded: Pick<LoadedConfig, 'config'>, configuredRef: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ChosenOnlineJudge> {
  const ref = configuredRef ?? loaded.config.judge?.model ?? 'sim:judge';
  const judge = await createJudge(ref, { config: loaded.config, createProvider: registryProviders(loaded, env), cache: new MemoryJudgeCache(2000) });
  return { judge: new JudgeOnline(judge), ref, synthetic: isSimJudgeRef(ref, loaded.config) };
}
