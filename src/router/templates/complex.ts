import type { Rng } from '../../stats/prng.js';
import type { LabelledRequest } from '../pairs.js';
import { CONCEPTS, ITEMS, NAMES, PROG_LANGS, TOPICS, between, chance, paragraph, pick } from './vocab.js';

/**
 * Requests that need the strongest model: long multi-constraint problems, proofs, large code
 * changes, legal or medical review, long-form reports, analysis over large retrieved context,
 * long conversations. Labels are "powerful" by construction.
 */
function codeBlock(rng: Rng, lines: number): string {
  const body: string[] = ['```'];
  for (let i = 0; i < lines; i++) {
    body.push(
      pick(rng, [
        `  const v${i} = await fetchRecord(id, { retries: ${between(rng, 1, 5)} });`,
        `  if (v${i} === null) { throw new Error("missing record"); }`,
        `  for (let i = 0; i < items.length; i++) { total += items[i].price * items[i].qty; }`,
        `function handle${i}(req, res) {`,
        `  return cache.get(key) ?? compute(key);`,
        `}`,
        `  db.query("SELECT * FROM orders WHERE user_id = " + userId);`,
        `def process_${i}(rows):`,
        `    return [r for r in rows if r["status"] == "open"]`,
      ]),
    );
  }
  body.push('```');
  return body.join('\n');
}

const templates: Array<(rng: Rng) => Omit<LabelledRequest, 'tier'>> = [
  (r) => {
    const [n1, n2] = [pick(r, NAMES), pick(r, NAMES)];
    const item = pick(r, ITEMS);
    return {
      query: `${n1} buys ${between(r, 3, 12)} boxes of ${item} with ${between(r, 6, 24)} ${item} in each box for $${between(r, 8, 40)} per box. ${n1} sells two thirds of them at $${between(r, 1, 5)}.${between(r, 10, 95)} each and gives ${between(r, 5, 20)} to ${n2}. ${n2} sells half of those for $${between(r, 2, 6)} each and keeps the rest. The remaining ${item} are sold at a ${between(r, 10, 40)}% discount. If ${n1} also pays a $${between(r, 5, 30)} stall fee each of ${between(r, 2, 5)} days, what is ${n1}'s total profit, and how much did ${n2} earn?`,
    };
  },
  (r) => ({ query: `Prove that ${pick(r, ['the square root of 2 is irrational', 'there are infinitely many primes', 'every tree with n vertices has n - 1 edges', 'the sum of the first n odd numbers is n squared', 'a bipartite graph has no odd cycle'])}, and explain each step of the proof rigorously.` }),
  (r) => ({ query: `Solve the system of equations ${between(r, 2, 9)}x + ${between(r, 2, 9)}y - z = ${between(r, 1, 30)}, x - ${between(r, 2, 9)}y + ${between(r, 2, 9)}z = ${between(r, 1, 30)}, ${between(r, 2, 9)}x + y + z = ${between(r, 1, 30)}, then verify the solution and discuss whether it is unique.` }),
  (r) => ({ query: `Refactor this ${pick(r, PROG_LANGS)} code to remove the SQL injection, add proper error handling and make it testable. Explain the trade-offs of your design:\n${codeBlock(r, between(r, 12, 40))}` }),
  (r) => ({ query: `I get this exception in production and cannot find the root cause. Debug it and propose a fix:\n${codeBlock(r, between(r, 8, 25))}\nTraceback: TypeError: Cannot read properties of undefined (reading 'price') at handle${between(r, 1, 9)} (server.js:${between(r, 10, 400)})` }),
  (r) => ({ query: `Design the architecture for ${pick(r, ['a real-time fraud detection system', 'a multi-tenant billing platform', 'a global chat service with offline sync', 'an event-sourced inventory system', 'a rate limiter shared by many API gateways'])} handling ${between(r, 2, 90)} million requests a day. Compare at least two designs, analyze their failure modes and trade-offs, and recommend one with justification.` }),
  (r) => ({
    query: `Review the following contract clause for liability and indemnification risks, identify anything that conflicts with ${pick(r, ['GDPR', 'HIPAA', 'our standard terms', 'state law'])}, and suggest revised wording:\n"${paragraph(r, between(r, 3, 7))} The Supplier shall indemnify the Customer against all claims arising from any breach, except where liability is limited under clause ${between(r, 4, 19)}."`,
    tags: chance(r, 0.5) ? ['legal-review'] : undefined,
  }),
  (r) => ({
    query: `A patient on ${between(r, 5, 80)} mg of ${pick(r, ['metformin', 'warfarin', 'lisinopril', 'sertraline'])} reports ${pick(r, ['dizziness and swelling', 'chest pain after exercise', 'new rashes and fever', 'persistent fatigue'])}. Assess possible drug interactions and the differential diagnosis, and explain what the clinician should consider.`,
    tags: chance(r, 0.5) ? ['stakes:high'] : undefined,
  }),
  // Short but high-stakes: length says "fast", the stakes say otherwise.
  (r) => ({
    query: `${pick(r, ['Is this', 'Is a', 'Would a'])} ${pick(r, ['non-compete clause', 'liability waiver', 'indemnification clause', 'termination clause', 'data processing agreement'])} ${pick(r, ['enforceable', 'legal', 'compliant with GDPR', 'binding'])}${pick(r, ['', ' in California', ' under EU law', ' in court'])}?`,
  }),
  (r) => ({
    query: `Write a detailed report on ${pick(r, TOPICS)}, covering the background, the risks, the costs, and a step-by-step rollout plan, with recommendations for each stakeholder.`,
    maxTokens: between(r, 1500, 8000),
  }),
  (r) => ({ query: `Write a comprehensive ${between(r, 1000, 3000)} words essay analyzing ${pick(r, TOPICS)} and its long-term implications.` }),
  (r) => ({
    query: `Using all of the documents provided, analyze ${pick(r, ['why customer complaints rose', 'the risks in the migration plan', 'whether we should accept the vendor proposal', 'the causes of the cost overrun'])}, reconcile any contradictions between sources, and recommend a course of action.`,
    context: Array.from({ length: between(r, 5, 12) }, (_, i) => `[Document ${i + 1}] ${paragraph(r, between(r, 5, 12))}`).join('\n\n'),
  }),
  (r) => ({
    query: `Answer each of the following:\n1. ${pick(r, ['Why did the revenue drop in Q3', 'What is the root cause of the outage', 'How should we price the new tier'])}?\n2. What are the trade-offs of ${pick(r, CONCEPTS)} here?\n3. ${pick(r, ['Which option minimizes risk', 'How would you test this', 'What would you change first'])}?\n4. Justify your recommendation given the constraints above.`,
  }),
];

function longConversation(rng: Rng): LabelledRequest['history'] {
  const turns = between(rng, 3, 8);
  const history: NonNullable<LabelledRequest['history']> = [];
  for (let i = 0; i < turns; i++) {
    history.push({ role: 'user', content: `${paragraph(rng, between(rng, 1, 3))} What do you think about ${pick(rng, TOPICS)}?` });
    history.push({ role: 'assistant', content: paragraph(rng, between(rng, 3, 8)) });
  }
  return history;
}

export function complexRequest(rng: Rng): LabelledRequest {
  const base = templates[rng.int(templates.length)]!(rng);
  const pair: LabelledRequest = { ...base, tier: 'powerful' };
  if (pair.tags === undefined) delete pair.tags;
  if (chance(rng, 0.2)) pair.history = longConversation(rng);
  if (pair.maxTokens === undefined && chance(rng, 0.3)) pair.maxTokens = between(rng, 1000, 4000);
  return pair;
}
