import type { Command } from 'commander';
import type { LoadedConfig } from '../config/load.js';

export interface GlobalOptions {
  db: string;
  config?: string;
  json: boolean;
  gateway?: string;
  color: boolean;
}

export const DEFAULT_DB = '.llmops/llmops.db';
export const DEFAULT_GATEWAY = 'http://127.0.0.1:8787';

/** The global flags, wherever the command sits in the tree. */
export function globals(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ db?: string; config?: string; json?: boolean; gateway?: string; color?: boolean }>();
  return {
    db: o.db ?? process.env.LLMOPS_DB ?? DEFAULT_DB,
    ...(o.config === undefined ? {} : { config: o.config }),
    json: o.json === true,
    ...(o.gateway ?? process.env.LLMOPS_GATEWAY_URL ? { gateway: o.gateway ?? process.env.LLMOPS_GATEWAY_URL } : {}),
    // Colour codes only on a terminal (results are often piped to files or other tools); FORCE_COLOR overrides.
    color: o.color !== false && !process.env.NO_COLOR && (process.stdout.isTTY === true || !['0', 'false'].includes(process.env.FORCE_COLOR ?? '0')),
  };
}

/** Loads llmops.yaml for a command. Imported lazily: YAML and zod stay off the `--help` path. */
export async function loadConfigFor(cmd: Command): Promise<LoadedConfig> {
  const { loadConfig } = await import('../config/load.js');
  return loadConfig(globals(cmd).config);
}
