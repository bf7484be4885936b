import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { messagesHash, requestKey, type RecordingLine } from './request-key.js';
import type { CompletionRequest, CompletionResult, Provider } from './types.js';

/**
 * Wraps any provider and appends one JSONL line per completed call to a recording file
 * (`llmops eval --record <file>`), for the `replay` provider to answer from later. Each line is
 * written with a synchronous append as the call completes, so a killed run keeps every answer it
 * recorded; the file is opened on the first answer, so a run refused at validation writes nothing.
 */
export class RecordingProvider implements Provider {
  readonly ref: string;
  readonly connectionKey: string;
  readonly synthetic: boolean;
  private fd: number | null = null;

  constructor(
    private readonly inner: Provider,
    readonly file: string,
    /** Upstream model id used in the request key (the replaying model spec's `model`). */
    private readonly model: string,
  ) {
    this.ref = inner.ref;
    this.connectionKey = inner.connectionKey;
    this.synthetic = inner.synthetic;
  }

  async complete(req: CompletionRequest): Promise<CompletionResult> {
    const res = await this.inner.complete(req);
    const line: RecordingLine = {
      key: requestKey(this.model, req),
      model: this.model,
      messagesHash: messagesHash(req),
      text: res.text,
      tokens: { input: res.inputTokens, output: res.outputTokens },
      latencyMs: res.latencyMs,
      ttftMs: res.ttftMs,
      caseId: req.simHints?.caseId ?? null,
    };
    if (this.fd === null) {
      mkdirSync(dirname(this.file), { recursive: true });
      this.fd = openSync(this.file, 'a');
    }
    // One write call per line in append mode: lines from concurrent calls never interleave.
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    return res;
  }

  /** Closes the file (it is also closed when the process exits). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
