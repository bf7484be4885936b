import { Command, InvalidArgumentError } from 'commander';
import { globals, loadConfigFor } from '../context.js';
import { info, printJson, printResult } from '../output.js';

const intArg = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};
const unitArg = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number between 0 and 1');
  return n;
};

async function modelFor(cmd: Command, explicit: string | undefined) {
  const { routingPolicyFrom } = await import('../../router/config.js');
  const { loadModel } = await import('../../router/load-model.js');
  const { policy, modelFile } = routingPolicyFrom((await loadConfigFor(cmd)));
  return { policy, model: loadModel(explicit ?? modelFile) };
}

export function registerRouterCommands(program: Command): void {
  const router = program.command('router').description('complexity classifier that routes requests to fast/mid/powerful tiers');

  router
    .command('generate')
    .description('write deterministic labelled (query, tier) pairs from templates of simple/medium/complex requests')
    .requiredOption('--out <file>', 'JSONL file to write')
    .option('--count <n>', 'pairs to generate', intArg('--count'), 10_000)
    .option('--seed <n>', 'seed (same seed, same pairs)', intArg('--seed'), 42)
    .action(async (opts: { out: string; count: number; seed: number }, cmd: Command) => {
      const { generatePairs } = await import('../../router/generate.js');
      const { formatPairs } = await import('../../router/pairs.js');
      const { writeFileAtomic } = await import('../../router/write-file.js');
      const pairs = generatePairs(opts.count, opts.seed);
      writeFileAtomic(opts.out, formatPairs(pairs));
      const counts = { fast: 0, mid: 0, powerful: 0 };
      for (const p of pairs) counts[p.tier]++;
      if (globals(cmd).json) printJson({ out: opts.out, count: pairs.length, seed: opts.seed, tiers: counts });
      else printResult(`Wrote ${pairs.length} pairs to ${opts.out} (fast ${counts.fast}, mid ${counts.mid}, powerful ${counts.powerful}; seed ${opts.seed})`);
    });

  router
    .command('train')
    .description('train the classifier from (query, tier) pairs; deterministic for a given seed')
    .requiredOption('--data <pairs.jsonl>', 'training pairs: {"query": "…", "tier": "fast|mid|powerful"} per line')
    .requiredOption('--out <model.json>', 'model file to write')
    .option('--seed <n>', 'seed of the held-out calibration split', intArg('--seed'), 42)
    .option('--epochs <n>', 'optimiser steps', intArg('--epochs'), 300)
    .action(async (opts: { data: string; out: string; seed: number; epochs: number }, cmd: Command) => {
      const { loadPairs } = await import('../../router/pairs.js');
      const { toMatrix } = await import('../../router/matrix.js');
      const { trainModel } = await import('../../router/train.js');
      const { writeFileAtomic } = await import('../../router/write-file.js');
      const pairs = loadPairs(opts.data); // validates every line before anything is written
      const started = performance.now();
      const model = trainModel(toMatrix(pairs), { seed: opts.seed, epochs: opts.epochs });
      const seconds = (performance.now() - started) / 1000;
      writeFileAtomic(opts.out, `${JSON.stringify(model, null, 2)}\n`);
      if (globals(cmd).json) printJson({ out: opts.out, examples: model.training.examples, seed: opts.seed, trainAccuracy: model.training.trainAccuracy, temperature: model.temperature, calibrationLogLoss: model.training.calibrationLogLoss, seconds });
      else printResult(`Trained on ${model.training.examples} pairs in ${seconds.toFixed(1)} s: train accuracy ${(model.training.trainAccuracy * 100).toFixed(1)}%, temperature ${model.temperature.toFixed(3)} (fitted on ${model.training.calibrationExamples} held-out pairs). Wrote ${opts.out}`);
    });

  router
    .command('eval')
    .description('accuracy, confusion matrix, tier mix, cost against all-powerful, and the cost-quality curve over the confidence threshold')
    .requiredOption('--data <pairs.jsonl>', 'labelled pairs to evaluate on')
    .option('--model <model.json>', 'model file (default: router.model in llmops.yaml, else the shipped model)')
    .option('--threshold <p>', 'confidence threshold (default router.confidenceThreshold, 0.7)', unitArg)
    .option('--price-per-call <usd>', 'USD per call per tier', 'fast=0.002,mid=0.007,powerful=0.021')
    .action(async (opts: { data: string; model?: string; threshold?: number; pricePerCall: string }, cmd: Command) => {
      const { loadPairs } = await import('../../router/pairs.js');
      const { toMatrix } = await import('../../router/matrix.js');
      const { evaluateRouter } = await import('../../router/evaluate.js');
      const { formatEvaluation } = await import('../../router/format.js');
      const { parsePricePerCall } = await import('../../cost/flags.js');
      const { toNumber } = await import('../../cost/rational.js');
      const prices = parsePricePerCall(opts.pricePerCall);
      const pairs = loadPairs(opts.data);
      const { policy, model } = await modelFor(cmd, opts.model);
      const threshold = opts.threshold ?? policy.confidenceThreshold;
      const result = evaluateRouter(model, toMatrix(pairs), {
        threshold,
        lowConfidenceTier: policy.lowConfidenceTier,
        prices: { fast: toNumber(prices.fast, 12), mid: toNumber(prices.mid, 12), powerful: toNumber(prices.powerful, 12) },
      });
      if (globals(cmd).json) printJson(result);
      else printResult(formatEvaluation(result, policy.lowConfidenceTier));
    });

  router
    .command('explain')
    .description('the tier a query would get, the confidence, and the features that drove it')
    .argument('<query>', 'the user message')
    .option('--model <model.json>', 'model file (default: router.model in llmops.yaml, else the shipped model)')
    .option('--tags <tags>', 'operation tags, comma-separated (tenant overrides match on them)')
    .option('--tenant <id>', 'tenant id (for tenant overrides)')
    .option('--context-file <file>', 'retrieved context supplied with the request (RAG)')
    .option('--max-tokens <n>', 'requested output budget', intArg('--max-tokens'))
    .option('--top <n>', 'features to show', intArg('--top'), 6)
    .action(async (query: string, opts: { model?: string; tags?: string; tenant?: string; contextFile?: string; maxTokens?: number; top: number }, cmd: Command) => {
      const { decideRoute } = await import('../../router/decide.js');
      const { explainPrediction } = await import('../../router/explain.js');
      const { fromQuery } = await import('../../router/features.js');
      const { formatExplanation } = await import('../../router/format.js');
      const { readTextFile } = await import('../../config/yaml-source.js');
      const { policy, model } = await modelFor(cmd, opts.model);
      const tags = opts.tags?.split(',').map((t) => t.trim()).filter(Boolean);
      const req = fromQuery(query, {
        tags,
        tenant: opts.tenant,
        maxTokens: opts.maxTokens,
        context: opts.contextFile === undefined ? undefined : readTextFile(opts.contextFile, 'context'),
      });
      const decision = decideRoute(req, model, policy);
      const prediction = model.predict(req);
      const contributions = explainPrediction(model, req, prediction.tier);
      if (globals(cmd).json) printJson({ tier: decision.tier, reason: decision.reason, rule: decision.rule, confidence: prediction.confidence, predicted: prediction.tier, probabilities: prediction.probabilities, threshold: policy.confidenceThreshold, features: contributions.slice(0, opts.top) });
      else {
        if (query.trim() === '') info('note: the query is empty');
        printResult(formatExplanation(query, decision, prediction, contributions, opts.top));
      }
    });
}
