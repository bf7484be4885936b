import type { Rng } from '../../stats/prng.js';

/** Word lists the request templates draw from. Invented vocabulary, not taken from any dataset. */
export const NAMES = ['Maria', 'Tom', 'Aisha', 'Kenji', 'Lucia', 'Omar', 'Priya', 'Jonas', 'Elena', 'Sam', 'Noah', 'Grace', 'Ivan', 'Mei', 'Carlos', 'Zoe', 'Felix', 'Hana', 'Leo', 'Rosa'];
export const ITEMS = ['apples', 'pencils', 'tickets', 'cupcakes', 'marbles', 'books', 'stickers', 'bottles', 'plants', 'shirts', 'cookies', 'boxes', 'eggs', 'candles', 'toys'];
export const ACCOUNT_THINGS = ['card', 'account', 'order', 'password', 'payment', 'transfer', 'refund', 'package', 'balance', 'PIN', 'subscription', 'invoice', 'delivery', 'statement', 'app'];
export const ACTIONS = ['cancel my order', 'change my address', 'update my phone number', 'close my account', 'reset my password', 'add another card', 'top up my balance', 'get a refund', 'freeze my card', 'change my PIN', 'download my statement', 'track my parcel', 'upgrade my plan', 'unsubscribe from emails', 'verify my identity'];
export const PROBLEMS = ['has not arrived yet', 'is not working', 'was declined', 'is still pending', 'shows the wrong amount', 'got blocked', 'disappeared from the app', 'was charged twice', 'is taking too long', 'keeps failing', 'was rejected'];
export const COUNTRIES = ['France', 'Japan', 'Kenya', 'Peru', 'Canada', 'Norway', 'Egypt', 'Chile', 'India', 'Portugal'];
export const LANGS = ['French', 'Spanish', 'German', 'Italian', 'Japanese', 'Portuguese'];
export const PHRASES = ['good morning', 'where is the station', 'thank you very much', 'see you tomorrow', 'how much does it cost', 'I am lost'];
export const WORDS = ['ubiquitous', 'serendipity', 'latency', 'photosynthesis', 'inflation', 'mortgage', 'metaphor', 'entropy', 'dividend', 'osmosis'];
export const CONCEPTS = ['a hash table', 'compound interest', 'DNS resolution', 'vaccination', 'public key cryptography', 'the water cycle', 'garbage collection', 'supply and demand', 'a neural network', 'TCP handshakes', 'index funds', 'HTTP caching'];
export const PROG_LANGS = ['Python', 'TypeScript', 'Go', 'Rust', 'Java', 'JavaScript'];
export const SMALL_TASKS = ['reverses a string', 'checks whether a number is prime', 'counts the vowels in a sentence', 'removes duplicates from a list', 'converts Celsius to Fahrenheit', 'returns the largest of three numbers', 'parses a date in ISO format', 'flattens a nested list'];
export const TOPICS = ['remote work policies', 'the migration of a monolith to microservices', 'carbon pricing', 'the adoption of electric buses in a mid-sized city', 'a pricing change for a SaaS product', 'data retention under GDPR', 'a supply chain disruption', 'an incident post-mortem process', 'onboarding for a support team', 'a multi-region database failover'];
export const PAIRS = [['SQL', 'NoSQL databases'], ['stocks', 'bonds'], ['TCP', 'UDP'], ['renting', 'buying a home'], ['React', 'Vue'], ['a Roth IRA', 'a traditional IRA'], ['threads', 'processes'], ['REST', 'GraphQL']] as const;
export const FILLER_SENTENCES = [
  'The team met on Monday to review the quarterly numbers.',
  'Customer complaints rose slightly after the last release.',
  'Shipping times improved in the northern region.',
  'The vendor asked to renegotiate the delivery schedule.',
  'Two engineers will be on leave during the migration window.',
  'Marketing proposed a new campaign aimed at small businesses.',
  'The board wants a clear recommendation before the next meeting.',
  'Costs for cloud storage grew faster than expected.',
  'Several users reported that exports time out on large files.',
  'The legal department flagged the data sharing agreement for review.',
  'Our main competitor lowered prices by a noticeable margin.',
  'The pilot program in two stores showed mixed results.',
  'Support tickets are answered within a day on average.',
  'The warehouse lease ends at the end of next year.',
  'A security audit found outdated libraries in three services.',
  'Hiring for the data team is behind schedule.',
];

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;
export const between = (rng: Rng, lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
export const chance = (rng: Rng, p: number): boolean => rng.next() < p;

/** n distinct-ish filler sentences joined as a paragraph. */
export function paragraph(rng: Rng, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(pick(rng, FILLER_SENTENCES));
  return out.join(' ');
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Lower-cases and drops the final punctuation sometimes, as people type in chat boxes. */
export function casual(rng: Rng, s: string): string {
  let t = s;
  if (chance(rng, 0.3)) t = t.toLowerCase();
  if (chance(rng, 0.3)) t = t.replace(/[.?!]$/, '');
  return t;
}
