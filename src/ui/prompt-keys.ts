import { PassThrough } from 'node:stream';

/** What PromptKeys reads from: the terminal (process.stdin) or, in tests, a stream standing in for one. */
export interface KeySource {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
  setRawMode?: ((raw: boolean) => unknown) | undefined;
  isTTY?: boolean | undefined;
}

const CTRL_C = '\u0003';
const ENTERS = new Set(['\r', '\n', '\r\n']);

/**
 * One key per token: an escape sequence (arrows, function keys), Enter (`\r\n` from a paste is
 * one Enter, not two), or one character.
 */
const KEY = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001bO[\s\S]|\u001b[\s\S]?|\r\n|[\s\S]/gu;

export function splitKeys(text: string): string[] {
  return text.match(KEY) ?? [];
}

/**
 * One keyboard for a sequence of prompts. @inquirer/prompts gives every prompt its own readline
 * on the input stream, and keys that arrive together — a paste, fast typing, a busy machine —
 * all went to the prompt that happened to be open: `2⏎3⏎4⏎⏎⏎` in one burst answered the first
 * question with a later digit and the rest of the keys were lost. PromptKeys reads the terminal
 * once, splits what arrives into keys and queues them; every prompt gets its own input stream
 * (`input()`) and is fed from the queue one key at a time, each after the prompt has handled
 * the one before, up to and including the Enter that answers it. The keys after that wait for
 * the next prompt. Ctrl-C jumps the queue: it reaches the open prompt (or the next one) at once.
 */
export class PromptKeys {
  private readonly queue: string[] = [];
  private current: PassThrough | undefined;
  /** The current prompt has had its Enter: hold the queue until the next prompt asks for input. */
  private answered = false;
  private pumping = false;
  private closed = false;

  constructor(private readonly source: KeySource) {
    source.setRawMode?.(true);
    source.on('data', this.onData);
    source.resume();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    for (const key of splitKeys(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))) {
      if (key === CTRL_C) {
        // Quitting should not wait behind a paste.
        this.queue.length = 0;
        this.queue.push(key);
        this.answered = false;
      } else {
        this.queue.push(key);
      }
    }
    void this.pump();
  };

  /** A fresh TTY-like input stream for the next prompt; keys already queued go to it first. */
  input(): PassThrough {
    const s = new PassThrough();
    // readline treats it as a terminal (key presses, no line buffering); raw mode is ours to set, on the real input.
    Object.assign(s, { isTTY: true, setRawMode: () => s });
    this.current = s;
    this.answered = false;
    void this.pump();
    return s;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.current !== undefined && !this.answered && this.queue.length > 0) {
        const key = this.queue.shift() as string;
        if (ENTERS.has(key)) this.answered = true;
        this.current.write(key);
        // Let the prompt handle this key (and re-render) before it gets the next one.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Stops reading the terminal and gives it back as it was (cooked mode, paused). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.current = undefined;
    this.source.off('data', this.onData);
    this.source.setRawMode?.(false);
    this.source.pause();
  }
}
