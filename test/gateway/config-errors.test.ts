import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ExitCode, type InputError } from '../../src/errors.js';
import { inputErrorOf } from '../support/input-error.js';
import { gatewayConfigFrom, type GatewayConfig } from '../../src/gateway/config.js';

/** An llmops.yaml whose gateway has upstreams a and b, and `deployments:` made of `lines` (from line 7). */
function gatewayFile(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'llmops-gateway-config-')), 'llmops.yaml');
  writeFileSync(file, [
    'version: 1', //                    1
    'gateway:', //                      2
    '  upstreams:', //                  3
    '    a: { type: sim, model: x }', // 4
    '    b: { type: sim, model: y }', // 5
    '  deployments:', //                6
    ...lines,
    '',
  ].join('\n'));
  return file;
}

function gatewayOf(file: string): GatewayConfig {
  return gatewayConfigFrom(loadConfig(file));
}

const where = (err: InputError) => err.issues.map((i) => `${i.line}:${i.column} (${i.path}): ${i.message}`);

describe('gateway deployments: a wrong value is reported at its own key, not as "Invalid input" for the deployment', () => {
  it.each([
    {
      what: 'cache.ttlSeconds as a string',
      lines: ['    chat:', '      variants:', '        baseline: { upstream: a, weight: 100 }', '      cache: { ttlSeconds: "300" }'],
      issue: '10:28 (gateway.deployments.chat.cache.ttlSeconds): Invalid input: expected number, received string',
    },
    {
      what: 'fallback as a word instead of a list',
      lines: ['    chat:', '      variants:', '        baseline: { upstream: a, weight: 100 }', '      fallback: smart'],
      issue: '10:17 (gateway.deployments.chat.fallback): Invalid input: expected array, received string',
    },
    {
      what: 'a misspelt kind',
      lines: ['    chat:', '      kind: splitt', '      variants:', '        baseline: { upstream: a, weight: 100 }'],
      issue: "8:13 (gateway.deployments.chat.kind): expected 'split' or 'routed', got 'splitt'",
    },
    {
      what: 'a variant weight as a string',
      lines: ['    chat:', '      variants:', '        baseline: { upstream: a, weight: "100" }'],
      issue: '9:42 (gateway.deployments.chat.variants.baseline.weight): Invalid input: expected number, received string',
    },
    {
      what: 'a kind that is not a string',
      lines: ['    chat:', '      kind: 3', '      variants: { baseline: { upstream: a, weight: 100 } }'],
      issue: "8:13 (gateway.deployments.chat.kind): expected 'split' or 'routed', got 3",
    },
    {
      what: 'a routed tier that is not a name',
      lines: ['    chat:', '      kind: routed', '      tiers: { fast: a, mid: b, powerful: 7 }'],
      issue: '9:43 (gateway.deployments.chat.tiers.powerful): Invalid input: expected string, received number',
    },
    {
      what: 'an unknown key in a split deployment',
      lines: ['    chat:', '      variants: { baseline: { upstream: a, weight: 100 } }', '      fallbacks: [b]'],
      issue: "9:7 (gateway.deployments.chat.fallbacks): unknown key 'fallbacks'",
    },
    {
      what: 'a deployment that is not a mapping',
      lines: ['    chat: smart'],
      issue: '7:11 (gateway.deployments.chat): Invalid input: expected object, received string',
    },
  ])('$what', ({ lines, issue }) => {
    const file = gatewayFile(lines);
    const err = inputErrorOf(() => gatewayOf(file));
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(where(err)).toEqual([issue]);
    expect(err.message).toContain(`${file}:${issue}`);
  });

  it('every deployment\'s problem is reported in one error, each at its own line', () => {
    const file = gatewayFile([
      '    cached:', //                                                 7
      '      variants: { baseline: { upstream: a, weight: 100 } }', //  8
      '      cache: { ttlSeconds: "300" }', //                          9
      '    fallback:', //                                               10
      '      variants: { baseline: { upstream: a, weight: 100 } }', //  11
      '      fallback: smart', //                                       12
      '    typo:', //                                                   13
      '      kind: splitt', //                                          14
      '    weighted:', //                                               15
      '      variants: { baseline: { upstream: a, weight: "100" } }', // 16
    ]);
    const err = inputErrorOf(() => gatewayOf(file));
    expect(where(err)).toEqual([
      '9:28 (gateway.deployments.cached.cache.ttlSeconds): Invalid input: expected number, received string',
      '12:17 (gateway.deployments.fallback.fallback): Invalid input: expected array, received string',
      "14:13 (gateway.deployments.typo.kind): expected 'split' or 'routed', got 'splitt'",
      '16:52 (gateway.deployments.weighted.variants.baseline.weight): Invalid input: expected number, received string',
    ]);
  });

  it('valid split (with and without kind) and routed deployments still parse, with their defaults', () => {
    const file = gatewayFile([
      '    fast:',
      '      variants: { baseline: { upstream: a, weight: 100 } }',
      '    slow:',
      '      kind: split',
      '      variants: { baseline: { upstream: b, weight: 90 }, next: { upstream: a, weight: 10 } }',
      '      fallback: [a]',
      '      cache: { ttlSeconds: 300 }',
      '    smart:',
      '      kind: routed',
      '      tiers: { fast: fast, mid: slow, powerful: slow }',
    ]);
    const g = gatewayOf(file);
    expect(g.deployments.fast).toEqual({ kind: 'split', variants: { baseline: { upstream: 'a', weight: 100 } }, fallback: [], keepWarmHours: 48 });
    expect(g.deployments.slow).toMatchObject({ kind: 'split', fallback: ['a'], cache: { ttlSeconds: 300 } });
    expect(g.deployments.smart).toEqual({ kind: 'routed', tiers: { fast: 'fast', mid: 'slow', powerful: 'slow' } });
  });

  it('cross-deployment checks still name their key once the shapes are right', () => {
    const file = gatewayFile(['    smart:', '      kind: routed', '      tiers: { fast: nope, mid: nope, powerful: nope }']);
    const err = inputErrorOf(() => gatewayOf(file));
    expect(where(err)[0]).toBe('9:22 (gateway.deployments.smart.tiers.fast): unknown deployment "nope"');
  });
});
