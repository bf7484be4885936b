import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { ConfigSchema, type LlmopsConfig } from './schema.js';
import { loadYamlFile, validateYaml, type YamlSource } from './yaml-source.js';

export interface LoadedConfig {
  config: LlmopsConfig;
  /** Absolute path of the file, or null when no config file exists (built-in defaults). */
  file: string | null;
  /** Folder relative paths in the config resolve from. */
  dir: string;
  source: YamlSource | null;
}

export const DEFAULT_CONFIG_FILE = 'llmops.yaml';

/**
 * Loads and validates llmops.yaml. An explicitly named file must exist; the default one may be
 * absent (commands that need models or suites then say what to add).
 */
export function loadConfig(path: string | undefined, cwd = process.cwd()): LoadedConfig {
  const file = resolve(cwd, path ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (path !== undefined) throw InputError.at({ file }, 'config file not found', 'Pass an existing file to --config, or drop the flag to use ./llmops.yaml.');
    return { config: ConfigSchema.parse({}), file: null, dir: cwd, source: null };
  }
  const source = loadYamlFile(file, 'config');
  const config = validateYaml(source, ConfigSchema);
  const dir = dirname(file);
  // Paths inside the config are relative to the config file, wherever the command runs from.
  for (const spec of Object.values(config.models)) {
    if (spec.recording && !isAbsolute(spec.recording)) spec.recording = resolve(dir, spec.recording);
  }
  return { config, file, dir, source };
}
