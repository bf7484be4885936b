import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { dottedPath, readTextFile } from '../config/yaml-source.js';
import { schemaIssues } from '../config/zod-issues.js';
import { compileModel, modelShapeIssues, RouterModelSchema, type CompiledModel, type RouterModel } from './model.js';

/** The model shipped with llmops (trained by `npx tsx src/router/train-default.ts`). */
export const DEFAULT_MODEL_FILE = fileURLToPath(new URL('../../fixtures/router/default-model.json', import.meta.url));

export function parseModel(file: string, text: string): RouterModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw InputError.at({ file }, `router model is not valid JSON: ${(err as Error).message}`);
  }
  const res = RouterModelSchema.safeParse(value);
  if (!res.success) {
    throw new InputError(schemaIssues(res.error).map((i) => ({ file, path: dottedPath(i.path) || '(root)', message: i.message })), 'Train a model with `llmops router train`.');
  }
  const shape = modelShapeIssues(res.data);
  if (shape.length > 0) throw new InputError(shape.map((i) => ({ file, ...i })), 'Retrain the model with this version: `llmops router train`.');
  return res.data as RouterModel;
}

export function loadModel(file: string = DEFAULT_MODEL_FILE): CompiledModel {
  return compileModel(parseModel(file, readTextFile(file, 'router model')));
}
