import { createHash } from 'node:crypto';
import type { CompletionRequest } from './types.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The identity of a request for recording and replay: SHA-256 of the canonical JSON of the
 * upstream model id, the messages (role + content, in order), temperature, max tokens and JSON
 * mode. Anything else (signal, sim hints, case id) does not change what a model would answer.
 */
export function requestKey(model: string, req: CompletionRequest): string {
  return sha256(JSON.stringify([
    model,
    req.messages.map((m) => [m.role, m.content]),
    req.temperature ?? null,
    req.maxTokens ?? null,
    req.json === true,
  ]));
}

export function messagesHash(req: CompletionRequest): string {
  return sha256(JSON.stringify(req.messages.map((m) => [m.role, m.content])));
}

/** One line of a recording file (JSONL), written by RecordingProvider, read by ReplayProvider. */
export interface RecordingLine {
  key: string;
  model: string;
  messagesHash: string;
  text: string;
  tokens: { input: number; output: number };
  latencyMs: number;
  ttftMs: number | null;
  caseId: string | null;
}
