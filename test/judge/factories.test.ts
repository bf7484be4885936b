import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { InputError } from '../../src/errors.js';
import { createJudgeScorer, type JudgeScorerContext } from '../../src/judge/scorer-factories.js';
import { isSimJudgeRef } from '../../src/judge/resolve.js';
import { SUITE_DIR } from './support.js';

function ctx(config: unknown = {}): JudgeScorerContext {
  return {
    config: ConfigSchema.parse(config),
    createProvider: (ref) => Promise.reject(new Error(`no provider needed in this test (asked for ${ref})`)),
    suiteDir: SUITE_DIR,
    at: { file: `${SUITE_DIR}suite.yaml`, path: 'scorers[0]' },
  };
}

async function issuesOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof InputError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('judge scorer factories', () => {
  it('builds each judge scorer with the sim judge', async () => {
    const c = ctx();
    const llm = await createJudgeScorer({ type: 'llm-judge', name: 'helpfulness', rubric: 'rubrics/helpfulness.md', judge: 'sim:judge', gating: false }, c);
    expect([llm.name, llm.type, llm.gating]).toEqual(['helpfulness', 'llm-judge', false]);
    expect((await createJudgeScorer({ type: 'faithfulness', judge: 'sim' }, c)).name).toBe('faithfulness');
    expect((await createJudgeScorer({ type: 'reference-match', judge: 'sim:judge' }, c)).gating).toBe(true);
    expect((await createJudgeScorer({ type: 'pairwise', judge: 'sim:judge', baselineVar: 'old' }, c)).gating).toBe(false);
  });

  it('uses llmops.yaml judge.model when the scorer names no judge, and a sim model entry means the sim judge', async () => {
    const c = ctx({ models: { 'demo-judge': { provider: 'sim', model: 'judge' } }, judge: { model: 'demo-judge' } });
    expect(isSimJudgeRef('demo-judge', c.config)).toBe(true);
    const s = await createJudgeScorer({ type: 'faithfulness' }, c);
    expect(s.type).toBe('faithfulness');
  });

  it('reports every option problem with the suite file and key path', async () => {
    expect(await issuesOf(createJudgeScorer({ type: 'faithfulness' }, ctx()))).toEqual([expect.stringMatching(/^scorers\[0\]\.judge: no judge model/)]);
    expect(await issuesOf(createJudgeScorer({ type: 'llm-judge', judge: 'sim', threshold: 'high' }, ctx()))).toEqual([
      expect.stringMatching(/^scorers\[0\]\.rubric: /),
      expect.stringMatching(/^scorers\[0\]\.threshold: /),
    ]);
    expect(await issuesOf(createJudgeScorer({ type: 'pairwise', judge: 'sim' }, ctx()))).toEqual([expect.stringContaining('exactly one of `baseline`')]);
    expect(await issuesOf(createJudgeScorer({ type: 'llm-judge', judge: 'sim', rubric: 'rubrics/helpfulness.md', threshold: 9 }, ctx()))).toEqual([
      expect.stringContaining('scorers[0].threshold: threshold 9 is off the rubric scale 1..5'),
    ]);
  });

  it('a missing rubric file is an input error naming both the file and the suite key', async () => {
    const issues = await issuesOf(createJudgeScorer({ type: 'llm-judge', judge: 'sim', rubric: 'rubrics/nope.md' }, ctx()));
    expect(issues).toEqual([expect.stringContaining('cannot read rubric: file not found'), expect.stringMatching(/^scorers\[0\]\.rubric: /)]);
  });

  it('a non-sim judge goes through the provider factory', async () => {
    await expect(createJudgeScorer({ type: 'faithfulness', judge: 'openai:gpt-4o-mini' }, ctx())).rejects.toThrow(/asked for openai:gpt-4o-mini/);
  });
});

describe('judge scorer options are strict', () => {
  it('an unknown key (a typo) is an error, not silently ignored', async () => {
    expect(await issuesOf(createJudgeScorer({ type: 'faithfulness', judge: 'sim', treshold: 0.5 }, ctx()))).toEqual([expect.stringContaining('treshold')]);
  });
});

describe('useJudgeCache', () => {
  it('switches the process-wide cache for judges already created', async () => {
    const { useJudgeCache, createJudge } = await import('../../src/judge/resolve.js');
    const { MemoryJudgeCache } = await import('../../src/judge/cache.js');
    const { ProviderError } = await import('../../src/providers/types.js');
    // A judge over a provider that always fails: only a cache hit can answer.
    const c = ctx();
    const judge = await createJudge('flaky', {
      ...c,
      createProvider: () => Promise.resolve({
        provider: { ref: 'flaky', connectionKey: 'flaky', synthetic: false, complete: () => Promise.reject(new ProviderError('auth', 'no key')) },
        spec: c.config.models.x ?? { provider: 'openai', model: 'm', timeoutMs: 1000, maxRetries: 0 },
      }),
    });
    const { referenceTask } = await import('../../src/judge/tasks/reference.js');
    const task = referenceTask({ question: 'q', expected: 'e', answer: 'a' });
    await expect(judge.ask(task)).rejects.toThrow(/auth: no key/);
    const seeded = new MemoryJudgeCache();
    const { judgeCacheKey } = await import('../../src/judge/llm.js');
    seeded.set(judgeCacheKey('flaky', task), 'flaky', { text: '{"reason":"r","match":true}', inputTokens: 1, outputTokens: 1 });
    useJudgeCache(seeded);
    try {
      expect(await judge.ask(task)).toMatchObject({ value: { match: true }, usage: { cached: true } });
    } finally {
      useJudgeCache(new MemoryJudgeCache());
    }
  });
});
