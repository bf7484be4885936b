import { Agent, fetch as undiciFetch } from 'undici';

/** What the openai and anthropic SDKs accept as their `fetch` option. */
export type SdkFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One keep-alive connection pool per upstream, as the SDK fetches below use it. */
export function keepAliveAgent(connections: number): Agent {
  return new Agent({ connections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
}

/**
 * A `fetch` for an SDK client backed by undici 7 and one keep-alive connection pool per
 * upstream. Node 20's built-in fetch costs about 1.5× the CPU per request (measured in
 * test/bench/eval.bench.ts), which at hundreds of calls per second is the bottleneck.
 */
export function pooledFetch(connections = 256, agent: Agent = keepAliveAgent(connections)): SdkFetch {
  const f = (input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent });
  return f as unknown as SdkFetch;
}
