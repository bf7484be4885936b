/**
 * Reproducible training of the shipped default model:
 *   npx tsx src/router/train-default.ts
 * writes fixtures/router/default-model.json (and the held-out fixtures/router/eval-pairs.jsonl),
 * then prints how the model routes real traffic-like text it never saw.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EVAL_SET, trainDefaultModel } from './default-training.js';
import { generatePairs } from './generate.js';
import { compileModel } from './model.js';
import { formatPairs } from './pairs.js';
import { realTrafficMix } from './real-traffic-report.js';

const fixtures = (name: string) => fileURLToPath(new URL(`../../fixtures/router/${name}`, import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const model = trainDefaultModel();
writeFileSync(fixtures('default-model.json'), `${JSON.stringify(model, null, 2)}\n`);
writeFileSync(fixtures('eval-pairs.jsonl'), formatPairs(generatePairs(DEFAULT_EVAL_SET.examples, DEFAULT_EVAL_SET.seed)));
process.stdout.write(`trained on ${model.training.examples} pairs (seed ${model.training.seed}): train accuracy ${model.training.trainAccuracy.toFixed(4)}, temperature ${model.temperature.toFixed(3)}\n`);
for (const r of realTrafficMix(compileModel(model), repoRoot)) {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  process.stdout.write(`${r.name} (${r.count}): fast ${pct(r.mix.fast)}, mid ${pct(r.mix.mid)}, powerful ${pct(r.mix.powerful)}\n`);
}
