import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { GradingPrompts } from '../../src/review/grade-session.js';
import { terminalGradingPrompts } from '../../src/ui/grading-prompts.js';

export function tempDir(prefix = 'llmops-review-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** One line of the request-log export format (README "Human review"). */
export function logLine(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const variant = i % 10 === 0 ? 'candidate' : 'stable';
  return {
    request_id: `req-${String(i).padStart(5, '0')}`,
    time: new Date(Date.UTC(2026, 10, 16) + i * 60_000).toISOString(),
    deployment: i % 4 === 0 ? 'billing' : 'support',
    variant,
    tenant: `t${i % 3}`,
    messages: [
      { role: 'system', content: 'You are a helpful bank assistant.' },
      { role: 'user', content: `What is the fee for transfer number ${i}?` },
    ],
    response: `The fee for transfer ${i} is ${i % 7} pounds.`,
    context: i % 2 === 0 ? `Transfer ${i} costs ${i % 7} pounds.` : undefined,
    latency_ms: 100 + i,
    status: 'ok',
    ...over,
  };
}

export function writeLog(dir: string, lines: ReadonlyArray<Record<string, unknown>>, name = 'log.jsonl'): string {
  const file = join(dir, name);
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

/**
 * A scripted terminal for the real @inquirer prompts: it waits until a question is on screen,
 * then types the keys for it, like a reviewer would. `answers` are [text to wait for, keys].
 */
export class ScriptedTerminal {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  private screen = '';
  private seen = 0;
  private readonly waiters: Array<() => void> = [];
  constructor() {
    // inquirer reads key presses from a TTY-like stream; these flags make readline treat it as one.
    Object.assign(this.input, { isTTY: true, setRawMode: () => this.input });
    Object.assign(this.output, { isTTY: true, columns: 120, rows: 40 });
    this.output.on('data', (chunk: Buffer) => {
      this.screen += chunk.toString('utf8');
      for (const w of this.waiters.splice(0)) w();
    });
  }

  get transcript(): string {
    return this.screen;
  }

  /** Resolves once `text` appears on screen after the previous answer. */
  async waitFor(text: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.screen.indexOf(text, this.seen);
      if (at !== -1) {
        this.seen = at + text.length;
        return;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen tail:\n${this.screen.slice(-800)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async answer(question: string, keys: string): Promise<void> {
    await this.waitFor(question);
    // Let the prompt finish wiring its key handler before typing.
    await new Promise((r) => setImmediate(r));
    this.input.write(keys);
  }

  /**
   * inquirer ends its output stream when a prompt closes (as process.stdout would ignore), so
   * each prompt writes to its own stream that feeds the shared screen without ending it.
   */
  private promptOutput(): PassThrough {
    const out = new PassThrough();
    Object.assign(out, { isTTY: true, columns: 120, rows: 40 });
    out.on('data', (chunk: Buffer) => this.output.write(chunk));
    return out;
  }

  /** The real @inquirer prompts as `llmops review grade` wires them: one PromptKeys reader feeds each prompt its keys. */
  prompts(): GradingPrompts & { close(): void } {
    return terminalGradingPrompts(this.input, () => this.promptOutput());
  }

  /** Types `keys` at once, as a paste or a burst of fast typing arrives: one write. */
  burst(keys: string): void {
    this.input.write(keys);
  }
}
