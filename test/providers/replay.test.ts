import { existsSync, mkdtempSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema, SimSettingsSchema } from '../../src/config/schema.js';
import { InputError } from '../../src/errors.js';
import { RecordingProvider } from '../../src/providers/recorder.js';
import { createProvider, resolveModelRef } from '../../src/providers/registry.js';
import { ReplayProvider } from '../../src/providers/replay.js';
import { requestKey, type RecordingLine } from '../../src/providers/request-key.js';
import { SimProvider } from '../../src/providers/sim.js';
import { ProviderError, type CompletionRequest } from '../../src/providers/types.js';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'llmops-replay-'));
const ask = (i: number, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  messages: [{ role: 'system', content: 'Answer with a number.' }, { role: 'user', content: `What is ${i} + ${i}?` }],
  simHints: { caseId: `c${i}`, expected: String(2 * i), salt: 'r1' },
  ...extra,
});

describe('request key', () => {
  it('changes with the model, any message, temperature, maxTokens or json mode — not with hints or signal', () => {
    const base = requestKey('m', ask(1));
    expect(requestKey('m', { ...ask(1), simHints: { caseId: 'other' }, signal: new AbortController().signal })).toBe(base);
    expect(requestKey('m2', ask(1))).not.toBe(base);
    expect(requestKey('m', ask(2))).not.toBe(base);
    expect(requestKey('m', ask(1, { temperature: 0 }))).not.toBe(base);
    expect(requestKey('m', ask(1, { maxTokens: 10 }))).not.toBe(base);
    expect(requestKey('m', ask(1, { json: true }))).not.toBe(base);
    expect(requestKey('m', ask(1, { messages: [{ role: 'user', content: 'Answer with a number.' }, { role: 'user', content: 'What is 1 + 1?' }] }))).not.toBe(base);
  });
});

describe('record then replay', () => {
  it('round trip: every recorded answer replays exactly; one JSONL line per completed call', async () => {
    const file = join(tmp(), 'nested', 'rec.jsonl');
    const sim = new SimProvider({ ref: 'demo', model: 'simulated-demo', settings: SimSettingsSchema.parse({ accuracy: 0.5, latencyMs: { p50: 2, p95: 5 } }) });
    const rec = new RecordingProvider(sim, file, 'simulated-demo');
    expect(existsSync(file)).toBe(false); // nothing written before the first answer
    const recorded = await Promise.all(Array.from({ length: 50 }, (_, i) => rec.complete(ask(i, { temperature: 0.1 }))));
    rec.close();

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as RecordingLine);
    expect(lines).toHaveLength(50);
    expect(lines[0]).toMatchObject({ model: 'simulated-demo', caseId: expect.stringMatching(/^c\d+$/) as unknown, tokens: { input: expect.any(Number) as unknown, output: expect.any(Number) as unknown } });
    expect(lines.every((l) => /^[0-9a-f]{64}$/.test(l.key) && /^[0-9a-f]{64}$/.test(l.messagesHash))).toBe(true);

    const replay = new ReplayProvider({ ref: 'demo-replay', model: 'simulated-demo', file });
    expect(replay.synthetic).toBe(true);
    expect(replay.size).toBe(50);
    for (let i = 0; i < 50; i++) {
      const r = await replay.complete(ask(i, { temperature: 0.1 }));
      expect(r.text).toBe(recorded[i]!.text);
      expect(r.inputTokens).toBe(recorded[i]!.inputTokens);
      expect(r.outputTokens).toBe(recorded[i]!.outputTokens);
      expect(r.latencyMs).toBe(recorded[i]!.latencyMs);
      expect(r.finishReason).toBe('replayed');
    }
  });

  it('a changed prompt or setting is a not_found miss with a clear message, never an old answer', async () => {
    const file = join(tmp(), 'rec.jsonl');
    const rec = new RecordingProvider(new SimProvider({ ref: 's', model: 'sim-m', settings: SimSettingsSchema.parse({}) }), file, 'sim-m');
    await rec.complete(ask(1));
    rec.close();
    const replay = new ReplayProvider({ ref: 'r', model: 'sim-m', file });
    await expect(replay.complete(ask(1))).resolves.toMatchObject({ text: expect.any(String) as unknown });
    for (const changed of [ask(1, { messages: [{ role: 'user', content: 'What is 1 + 1? Be brief.' }] }), ask(1, { temperature: 0.7 }), ask(1, { json: true })]) {
      const err = await replay.complete(changed).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ kind: 'not_found' });
      expect((err as ProviderError).retryable).toBe(false);
      expect((err as ProviderError).message).toMatch(/no recorded answer for case c1.*record again/);
    }
  });

  it('a torn last line (killed mid-write) is skipped; a malformed line elsewhere is an input error with its line', () => {
    const dir = tmp();
    const good: RecordingLine = { key: 'k1', model: 'm', messagesHash: 'h', text: 'hi', tokens: { input: 1, output: 1 }, latencyMs: 5, ttftMs: null, caseId: 'c1' };
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, `${JSON.stringify(good)}\n{"key":"k2","mod`);
    expect(new ReplayProvider({ ref: 'r', model: 'm', file: torn }).size).toBe(1);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify(good)}\nnot json\n{"key":"k3"}\n${JSON.stringify(good)}\n`);
    let err: unknown;
    try { new ReplayProvider({ ref: 'r', model: 'm', file: bad }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues.map((i) => i.line)).toEqual([2, 3]);
  });

  it('appends to an existing recording instead of replacing it', async () => {
    const file = join(tmp(), 'rec.jsonl');
    appendFileSync(file, '');
    for (const i of [1, 2]) {
      const rec = new RecordingProvider(new SimProvider({ ref: 's', model: 'sim-m', settings: SimSettingsSchema.parse({}) }), file, 'sim-m');
      await rec.complete(ask(i));
      rec.close();
    }
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('record a real provider over the wire, replay with the server gone', () => {
  let server: WireServer;
  beforeAll(async () => { server = await startOpenAIServer({ handler: (r) => ({ text: `echo: ${JSON.stringify(r.body.messages).length}` }) }); });
  afterAll(async () => { await server.close(); });

  it('openai via the registry with --record, then `replay:<file>` answers without the network', async () => {
    const dir = tmp();
    const file = join(dir, 'openai.jsonl');
    const config = ConfigSchema.parse({ models: { upstream: { provider: 'openai', model: 'gpt-test', baseURL: server.url, apiKeyEnv: 'TEST_KEY' } } });
    const live = await createProvider(resolveModelRef('upstream', config), { TEST_KEY: 'k' }, { record: file });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await live.complete(ask(i))).text);
    expect(server.requestCount).toBe(5);
    await server.close();

    // The shorthand names no model: the recording's only model (gpt-test) is used for the keys.
    const replay = await createProvider(resolveModelRef(`replay:${file}`, config), {});
    for (let i = 0; i < 5; i++) expect((await replay.complete(ask(i))).text).toBe(answers[i]);
    server = await startOpenAIServer(); // for afterAll
  });
});
