import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { keepAliveAgent, pooledFetch, type SdkFetch } from './pooled-fetch.js';

/**
 * The part of a fetch Response the openai SDK (v6) reads — status, ok, url, headers, and the
 * body as an async iterable of bytes (its SSE reader takes an async iterable as is), text() and
 * json() — over undici's request API. undici's fetch builds every response through WHATWG
 * streams and the fetch spec's objects: profiled at -j 100 against a local server (the
 * latency-bound case of test/bench/eval.bench.ts), that machinery was ~30% of the CPU of a
 * streamed call, and this fetch cut the provider's CPU per call from ~0.9–1.2 ms to ~0.6 ms.
 */
class NodeStreamResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText = '';
  readonly redirected = false;
  readonly type = 'basic';
  readonly headers: Headers;
  bodyUsed = false;

  constructor(private readonly res: Dispatcher.ResponseData, readonly url: string) {
    this.status = res.statusCode;
    this.ok = res.statusCode >= 200 && res.statusCode < 300;
    this.headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (Array.isArray(v)) for (const x of v) this.headers.append(k, x);
      else if (v !== undefined) this.headers.append(k, v);
    }
  }

  get body(): Readable {
    return this.res.body;
  }

  text(): Promise<string> {
    this.bodyUsed = true;
    return this.res.body.text();
  }

  json(): Promise<unknown> {
    this.bodyUsed = true;
    return this.res.body.json();
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return this.res.body.arrayBuffer();
  }
}

/**
 * A `fetch` for the openai SDK on one keep-alive undici pool, answering with NodeStreamResponse.
 * Requests whose body is not a string or bytes (uploads: not used for chat completions) go
 * through undici's fetch on the same pool instead. The anthropic SDK clones responses, so it
 * keeps pooledFetch.
 */
export function requestFetch(connections = 256): SdkFetch {
  const agent = keepAliveAgent(connections);
  const fallback = pooledFetch(connections, agent);
  const f = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body;
    if (input instanceof Request || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) return fallback(input, init);
    const url = new URL(input);
    const res = await agent.request({
      origin: url.origin, path: `${url.pathname}${url.search}`, method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: init.headers instanceof Headers ? Object.fromEntries(init.headers) : (init.headers as Record<string, string> | undefined),
      body: body ?? null, signal: init.signal ?? null,
    });
    return new NodeStreamResponse(res, url.href) as unknown as Response;
  };
  return f;
}
