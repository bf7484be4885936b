/**
 * Provider costs (`npx tsx test/bench/providers.bench.ts`):
 *  1. simulator at zero latency: calls/s against a direct `Promise.resolve` of a result, same run.
 *     Target ≥ 100,000 calls/s (≤ 10 µs a call), so the sim is < 5% of the eval budget of
 *     5,000 cases/s end to end;
 *  2. the same with `--record` (one synchronous JSONL append per call): ≥ 20,000 calls/s;
 *  3. the openai provider (official SDK, streaming, TTFT) against raw `fetch` + body read, both
 *     at concurrency 1 against the same local wire server, interleaved: time per request ≤ 2x.
 * Only 127.0.0.1 traffic; bounded to a few seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimSettingsSchema } from '../../src/config/schema.js';
import { OpenAIProvider } from '../../src/providers/openai.js';
import { RecordingProvider } from '../../src/providers/recorder.js';
import { SimProvider } from '../../src/providers/sim.js';
import type { CompletionRequest, CompletionResult, Provider } from '../../src/providers/types.js';
import { startOpenAIServer } from '../support/wire/openai-server.js';

let missed = 0;
const report = (name: string, value: string, target: string, ok: boolean) => {
  if (!ok) missed++;
  process.stdout.write(`${ok ? 'ok  ' : 'MISS'} ${name}: ${value} (target ${target})\n`);
};

const req = (i: number): CompletionRequest => ({
  messages: [{ role: 'user', content: `What is ${i} + ${i}? Answer with the number only.` }],
  simHints: { caseId: `c${i}`, expected: String(2 * i), salt: 'bench' },
});

async function callsPerSecond(p: Pick<Provider, 'complete'>, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await p.complete(req(i));
  return n / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const settings = SimSettingsSchema.parse({ accuracy: 0.9, latencyMs: { p50: 0, p95: 0 } });
  const sim = new SimProvider({ ref: 'bench', model: 'simulated-bench', settings });
  const fixed: CompletionResult = { text: '2', inputTokens: 10, outputTokens: 1, latencyMs: 0, ttftMs: 0 };
  const direct = { complete: (_: CompletionRequest) => Promise.resolve({ ...fixed }) };
  await callsPerSecond(sim, 20_000); // warm-up
  await callsPerSecond(direct, 20_000);
  const n = 200_000;
  const simRate = await callsPerSecond(sim, n);
  const directRate = await callsPerSecond(direct, n);
  report('sim, zero latency, sequential calls', `${Math.round(simRate).toLocaleString('en')} calls/s (${(1e6 / simRate).toFixed(2)} µs/call; direct Promise.resolve ${Math.round(directRate).toLocaleString('en')}/s, ratio ${(directRate / simRate).toFixed(1)}x)`, '≥ 100,000 calls/s', simRate >= 100_000);

  const dir = mkdtempSync(join(tmpdir(), 'llmops-bench-rec-'));
  try {
    const rec = new RecordingProvider(sim, join(dir, 'rec.jsonl'), 'simulated-bench');
    const recRate = await callsPerSecond(rec, 50_000);
    rec.close();
    report('sim + --record (JSONL append per call)', `${Math.round(recRate).toLocaleString('en')} calls/s (${(simRate / recRate).toFixed(1)}x the bare sim cost)`, '≥ 20,000 calls/s', recRate >= 20_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const server = await startOpenAIServer({ handler: () => ({ text: '42', usage: { inputTokens: 10, outputTokens: 1 } }) });
  try {
    const provider = new OpenAIProvider({ ref: 'bench', model: 'bench', apiKey: 'k', baseURL: server.url, timeoutMs: 10_000 });
    const raw = {
      complete: async (r: CompletionRequest): Promise<CompletionResult> => {
        const res = await fetch(`${server.url}/chat/completions`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
          body: JSON.stringify({ model: 'bench', messages: r.messages, stream: true, stream_options: { include_usage: true } }),
        });
        await res.text();
        return fixed;
      },
    };
    await callsPerSecond(provider, 200);
    await callsPerSecond(raw, 200);
    // Interleaved rounds, so a busy shared machine slows both sides alike.
    let sdkMs = 0;
    let rawMs = 0;
    const rounds = 10;
    const perRound = 150;
    for (let r = 0; r < rounds; r++) {
      sdkMs += (perRound / (await callsPerSecond(provider, perRound))) * 1000;
      rawMs += (perRound / (await callsPerSecond(raw, perRound))) * 1000;
    }
    const m = rounds * perRound;
    const ratio = sdkMs / rawMs;
    report('openai provider (SDK, streamed) vs raw fetch, local server, concurrency 1',
      `${(sdkMs / m).toFixed(3)} ms/req vs ${(rawMs / m).toFixed(3)} ms/req raw (${ratio.toFixed(2)}x, ${Math.round((m / sdkMs) * 1000)} req/s)`,
      '≤ 2x raw fetch', ratio <= 2);
  } finally {
    await server.close();
  }
  process.exit(missed === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
