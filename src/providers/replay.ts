import { existsSync, readFileSync } from 'node:fs';
import { InputError, type InputIssue } from '../errors.js';
import { abortError } from './abort.js';
import { requestKey, type RecordingLine } from './request-key.js';
import { ProviderError, type CompletionRequest, type CompletionResult, type Provider } from './types.js';

export interface ReplayProviderOptions {
  ref: string;
  /** Upstream model id the recording was made with (part of the request key). */
  model: string;
  /** Recording file written by `llmops eval --record`. */
  file: string;
}

function parseLine(raw: string, file: string, line: number, issues: InputIssue[]): RecordingLine | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    issues.push({ file, line, message: `not JSON: ${(err as Error).message}` });
    return undefined;
  }
  const r = v as Partial<RecordingLine>;
  if (!r || typeof r !== 'object' || typeof r.key !== 'string' || typeof r.text !== 'string' || typeof r.tokens?.input !== 'number' || typeof r.tokens.output !== 'number') {
    issues.push({ file, line, message: 'not a recording line (needs key, text, tokens.input, tokens.output)' });
    return undefined;
  }
  return r as RecordingLine;
}

/** Loads a recording into a Map by request key (a later line for the same key wins). */
export function loadRecording(file: string): Map<string, RecordingLine> {
  if (!existsSync(file)) throw InputError.at({ file }, 'recording file not found', 'Record one with `llmops eval --record <file>`.');
  const byKey = new Map<string, RecordingLine>();
  const issues: InputIssue[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((raw, i) => {
    if (!raw.trim()) return;
    // A run killed mid-write can leave a torn last line: skip it rather than refuse the file.
    if (i === lines.length - 1) {
      try { JSON.parse(raw); } catch { return; }
    }
    const r = parseLine(raw, file, i + 1, issues);
    if (r) byKey.set(r.key, r);
  });
  if (issues.length) throw new InputError(issues);
  return byKey;
}

/**
 * Answers from a recording made with `--record`, by the exact request key. A request that was
 * not recorded (the prompt, model or settings changed) is a 'not_found' error, never an old
 * answer to a different question. Results are labelled synthetic and cost nothing to produce.
 */
export class ReplayProvider implements Provider {
  readonly ref: string;
  readonly connectionKey: string;
  readonly synthetic = true;
  private readonly byKey: Map<string, RecordingLine>;

  /** The model id used in request keys. */
  private readonly model: string;

  constructor(private readonly opts: ReplayProviderOptions) {
    this.ref = opts.ref;
    this.connectionKey = `replay:${opts.file}`;
    this.byKey = loadRecording(opts.file);
    // `replay:<file>` names no model: when the file holds a single model, that is the one.
    const recorded = new Set([...this.byKey.values()].map((r) => r.model));
    this.model = !recorded.has(opts.model) && recorded.size === 1 ? [...recorded][0]! : opts.model;
  }

  get size(): number {
    return this.byKey.size;
  }

  complete(req: CompletionRequest): Promise<CompletionResult> {
    const label = `replay ${this.model}`;
    if (req.signal?.aborted) return Promise.reject(abortError(label, req.signal));
    const hit = this.byKey.get(requestKey(this.model, req));
    if (!hit) {
      const which = req.simHints?.caseId ? `case ${req.simHints.caseId}` : 'this request';
      return Promise.reject(new ProviderError('not_found',
        `${label}: ${this.opts.file} has no recorded answer for ${which} (model ${this.model}); the prompt, model or settings (temperature, maxTokens, json) differ from the recording — record again with --record`));
    }
    if (hit.text) req.onDelta?.(hit.text);
    // The recorded latency is reported, not waited for: it describes the model that was recorded.
    return Promise.resolve({
      text: hit.text,
      inputTokens: hit.tokens.input,
      outputTokens: hit.tokens.output,
      latencyMs: hit.latencyMs,
      ttftMs: hit.ttftMs,
      finishReason: 'replayed',
      model: hit.model,
    });
  }
}
