import type { Rng } from '../../stats/prng.js';
import type { LabelledRequest } from '../pairs.js';
import { CONCEPTS, ITEMS, NAMES, PAIRS, PROG_LANGS, SMALL_TASKS, between, chance, paragraph, pick } from './vocab.js';

/**
 * Requests that need some reasoning or a longer answer, but not the strongest model: two- or
 * three-step word problems, explanations, short summaries, small functions. Labels are "mid".
 */
const templates: Array<(rng: Rng) => Omit<LabelledRequest, 'tier'>> = [
  (r) => {
    const [a, b, c] = [between(r, 10, 90), between(r, 2, 30), between(r, 2, 9)];
    return { query: `${pick(r, NAMES)} has ${a} ${pick(r, ITEMS)}. She buys ${b} more and then gives ${c} to ${pick(r, NAMES)}. How many does she have now?` };
  },
  (r) => {
    const item = pick(r, ITEMS);
    return { query: `A shop sells ${item} for $${between(r, 2, 15)} each. ${pick(r, NAMES)} buys ${between(r, 3, 12)} ${item} and pays with a $${pick(r, [50, 100, 200])} bill. How much change does he get back?` };
  },
  (r) => ({ query: `A train travels ${between(r, 40, 120)} miles per hour for ${between(r, 2, 6)} hours, then ${between(r, 30, 80)} miles per hour for ${between(r, 1, 4)} hours. How far does it travel in total?` }),
  (r) => ({ query: `${pick(r, NAMES)} earns $${between(r, 12, 40)} per hour and works ${between(r, 4, 9)} hours a day, ${between(r, 3, 6)} days a week. How much does ${pick(r, ['he', 'she'])} earn in ${between(r, 2, 5)} weeks?` }),
  (r) => ({ query: `If ${between(r, 2, 9)} workers can paint a fence in ${between(r, 3, 12)} hours, how long would it take ${between(r, 2, 12)} workers at the same rate?` }),
  (r) => ({ query: `A recipe needs ${between(r, 2, 5)} cups of flour for ${between(r, 8, 24)} cookies. How many cups are needed for ${between(r, 30, 120)} cookies?` }),
  (r) => ({ query: `What is ${between(r, 5, 40)}% of ${between(r, 80, 2000)}, and what is left after subtracting it?` }),
  (r) => ({ query: `Explain how ${pick(r, CONCEPTS)} works${pick(r, [' to a beginner', ' in simple terms', '', ' with an example'])}.` }),
  (r) => ({ query: `What are the main differences between ${pick(r, PAIRS).join(' and ')}?` }),
  (r) => ({ query: `Write a ${pick(r, PROG_LANGS)} function that ${pick(r, SMALL_TASKS)}.` }),
  (r) => ({ query: `Summarize the following in ${pick(r, ['two', 'three', 'a few'])} bullet points:\n${paragraph(r, between(r, 4, 8))}` }),
  (r) => ({ query: `Rewrite this paragraph to sound more ${pick(r, ['formal', 'friendly', 'concise'])}: ${paragraph(r, between(r, 2, 5))}` }),
  (r) => ({
    query: `Based on the documents, ${pick(r, ['what changed in shipping times?', 'what did marketing propose?', 'when does the lease end?', 'what did the audit find?'])}`,
    context: paragraph(r, between(r, 6, 14)),
  }),
  (r) => ({ query: `Give me ${pick(r, ['three', 'five', 'a few'])} ideas for ${pick(r, ['a team offsite', 'a birthday party', 'a blog post about budgeting', 'a science fair project', 'reducing meeting time'])}.` }),
  (r) => ({ query: `Draft a short, polite email to ${pick(r, NAMES)} asking to move our meeting from ${pick(r, ['Monday', 'Tuesday', 'Thursday'])} to ${pick(r, ['Friday', 'Wednesday', 'next week'])}.` }),
  (r) => ({
    query: `Extract the names, dates and amounts from this text as JSON: ${pick(r, NAMES)} paid $${between(r, 10, 900)} to ${pick(r, NAMES)} on ${pick(r, ['March', 'June', 'October'])} ${between(r, 1, 28)}. ${paragraph(r, 2)}`,
    wantsJson: true,
  }),
];

export function mediumRequest(rng: Rng): LabelledRequest {
  const pair: LabelledRequest = { ...templates[rng.int(templates.length)]!(rng), tier: 'mid' };
  if (chance(rng, 0.15)) {
    pair.history = [
      { role: 'user', content: `Can you help me with ${pick(rng, CONCEPTS)}?` },
      { role: 'assistant', content: 'Sure, what would you like to know?' },
    ];
  }
  if (chance(rng, 0.3)) pair.maxTokens = between(rng, 300, 1200);
  return pair;
}
