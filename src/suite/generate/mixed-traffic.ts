/**
 * Generates suites/mixed-traffic/cases.jsonl: 1,200 labelled cases mixing the traffic the
 * gateway sees, ≈ 70% fast / 10% mid / 20% powerful tier. Deterministic (seeded PRNG, no
 * clock): running it again gives byte-identical output.
 *
 *   npx tsx src/suite/generate/mixed-traffic.ts [out-file]
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { classification, faq, policy, type Draft } from './mixed-traffic-fast.js';
import { arithmetic, jsonExtraction, logic, multiStep, scheduling } from './mixed-traffic-reasoning.js';
import { Rng } from './prng.js';

export const MIXED_TRAFFIC_SEED = 20240611;

/** How many cases of each kind (sums to 1,200: fast 840, mid 120, powerful 240). */
export const MIX: ReadonlyArray<{ make: (rng: Rng) => Draft; count: number }> = [
  { make: faq, count: 360 },
  { make: policy, count: 240 },
  { make: classification, count: 240 },
  { make: arithmetic, count: 60 },
  { make: jsonExtraction, count: 60 },
  { make: multiStep, count: 100 },
  { make: scheduling, count: 70 },
  { make: logic, count: 70 },
];

export interface MixedTrafficCase {
  id: string;
  vars: { question: string };
  expected: string;
  context?: string;
  tags: string[];
}

export function generateMixedTraffic(seed = MIXED_TRAFFIC_SEED): MixedTrafficCase[] {
  const rng = new Rng(seed);
  const cases: MixedTrafficCase[] = [];
  for (const { make, count } of MIX) {
    for (let i = 1; i <= count; i++) {
      const d = make(rng);
      cases.push({
        id: `${d.kind}-${String(i).padStart(4, '0')}`,
        vars: { question: d.question },
        expected: d.expected,
        ...(d.context === undefined ? {} : { context: d.context }),
        tags: [`tier:${d.tier}`, `kind:${d.kind}`],
      });
    }
  }
  // Interleave the kinds as live traffic would, so `--limit` and shards get a mix.
  return rng.shuffle(cases);
}

export function mixedTrafficJsonl(seed = MIXED_TRAFFIC_SEED): string {
  return generateMixedTraffic(seed).map((c) => JSON.stringify(c)).join('\n') + '\n';
}

export const DEFAULT_OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../suites/mixed-traffic/cases.jsonl');

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = resolve(process.argv[2] ?? DEFAULT_OUT);
  writeFileSync(out, mixedTrafficJsonl());
  process.stderr.write(`wrote ${out}\n`);
}
