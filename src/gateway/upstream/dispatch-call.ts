/**
 * One upstream HTTP call over undici's `dispatch` API, its response body read as text chunks.
 * `pool.request` wraps every body in a Readable stream with an AsyncResource, and reading that
 * with for-await adds listeners and ticks on every request. Against that, measured side by side
 * in one run each (test/bench/gateway.bench.ts's upstream): the first streamed byte came 38–54 µs
 * sooner (3 runs of 1,500 sequential streams), and at 1,000 req/s the added p50 fell from
 * 0.57 to 0.51 ms, the bare node:http + undici proxy's own figure in that run.
 *
 * Reading stops the connection when the buffered text passes HIGH_WATER_CHARS (a client slower
 * than its upstream), and starts it again once the reader has drained it. Stopping early
 * (`return()` of the iterator, e.g. at `[DONE]` or when the client left) or the signal's abort
 * cancels the call; undici then drops the connection if the answer was not complete.
 */
import { StringDecoder } from 'node:string_decoder';
import { errors, type Dispatcher } from 'undici';
import type { CancelSignal } from '../cancel.js';

export interface UpstreamCall {
  path: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string;
}

/** The response body: text chunks in arrival order (UTF-8 decoded across chunk borders), read once. */
export interface ResponseText extends AsyncIterable<string> {
  text(): Promise<string>;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: ResponseText;
}

/** Text (UTF-16 code units) buffered ahead of the reader before the connection is paused. */
export const HIGH_WATER_CHARS = 64 * 1024;

/** Resolves at the response head; rejects with undici's error (or RequestAbortedError on `signal`) before it. */
export function dispatchCall(pool: Dispatcher, call: UpstreamCall, signal: CancelSignal): Promise<UpstreamResponse> {
  if (signal.aborted) return Promise.reject(new errors.RequestAbortedError());
  return new Promise((resolve, reject) => {
    const queue: string[] = [];
    let buffered = 0;
    let ended = false;
    let failure: Error | undefined;
    let started = false;
    let reading = false;
    let wake: (() => void) | undefined;
    let controller: Dispatcher.DispatchController | undefined;
    let cancelled = false;
    const decoder = new StringDecoder('utf8');

    // Before undici starts the request (a pool queues it while every connection is busy) there
    // is no controller yet: `cancelled` then stands, and onRequestStart aborts.
    const cancel = () => {
      if (ended || failure || cancelled) return;
      cancelled = true;
      controller?.abort(new errors.RequestAbortedError());
    };
    const settle = () => signal.removeEventListener('abort', cancel);
    signal.addEventListener('abort', cancel, { once: true });
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };

    const iterator: AsyncIterator<string> = {
      async next(): Promise<IteratorResult<string>> {
        for (;;) {
          const chunk = queue.shift();
          if (chunk !== undefined) {
            buffered -= chunk.length;
            if (controller?.paused && buffered < HIGH_WATER_CHARS / 2) controller.resume();
            return { value: chunk, done: false };
          }
          if (failure) throw failure;
          if (ended) return { value: undefined, done: true };
          await new Promise<void>((r) => (wake = r));
        }
      },
      async return(): Promise<IteratorResult<string>> {
        cancel();
        queue.length = 0;
        return { value: undefined, done: true };
      },
    };
    const body: ResponseText = {
      [Symbol.asyncIterator]() {
        if (reading) throw new Error('an upstream response body can be read only once');
        reading = true;
        return iterator;
      },
      async text() {
        let text = '';
        for await (const chunk of this) text += chunk;
        return text;
      },
    };

    pool.dispatch({ path: call.path, method: call.method, headers: call.headers, body: call.body }, {
      onRequestStart(c) {
        controller = c;
        if (cancelled) c.abort(new errors.RequestAbortedError());
      },
      onResponseStart(_c, statusCode, headers) {
        if (statusCode < 200) return; // 1xx: the real head follows
        started = true;
        resolve({ statusCode, headers, body });
      },
      onResponseData(c, chunk) {
        const text = decoder.write(chunk);
        if (text === '') return;
        queue.push(text);
        buffered += text.length;
        if (buffered >= HIGH_WATER_CHARS && !c.paused) c.pause();
        notify();
      },
      onResponseEnd() {
        const rest = decoder.end();
        if (rest !== '') queue.push(rest);
        ended = true;
        settle();
        notify();
      },
      onResponseError(_c, err) {
        settle();
        if (!started) reject(err);
        else {
          failure = err;
          notify();
        }
      },
    });
  });
}
