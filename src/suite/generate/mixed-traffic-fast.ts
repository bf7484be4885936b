import { CATEGORIES, PRODUCTS, REGIONS, RETURN_DAYS, productSheet, regionSheet, returnsSheet, type Product } from './catalogue.js';
import type { Rng } from './prng.js';

/** One generated case before numbering. `expected` is right by construction. */
export interface Draft {
  kind: string;
  tier: 'fast' | 'mid' | 'powerful';
  question: string;
  expected: string;
  context?: string | undefined;
}

const FAQ_ATTRIBUTES = [
  { key: 'sku', label: 'SKU', asks: ['What is the SKU of the {p}?', 'Which SKU should I search for to find the {p}?', 'I need the product code of the {p}.'] },
  { key: 'colour', label: 'colour', asks: ['What colour is the {p}?', 'Which colour does the {p} come in?', 'Is the {p} available in a colour, and which one?'] },
  { key: 'warehouse', label: 'warehouse name', asks: ['Which warehouse ships the {p}?', 'Where is the {p} shipped from?', 'From which warehouse will my {p} come?'] },
  { key: 'category', label: 'category', asks: ['In which category is the {p} listed?', 'Which shop category has the {p}?', 'Under what category can I find the {p}?'] },
] as const;

function sheets(rng: Rng, target: Product, extra: number): string {
  const others = rng.sample(PRODUCTS.filter((p) => p !== target), extra);
  return rng.shuffle([target, ...others]).map(productSheet).join('\n');
}

/** A lookup in a product sheet: one word or code, found verbatim in the reference. */
export function faq(rng: Rng): Draft {
  const p = rng.pick(PRODUCTS);
  const a = rng.pick(FAQ_ATTRIBUTES);
  const context = sheets(rng, p, 3);
  const ask = rng.pick(a.asks).replace('{p}', p.name);
  return {
    kind: 'faq', tier: 'fast', context,
    question: `Product information:\n${context}\n\n${ask} Answer with the ${a.label} only.`,
    expected: String(p[a.key]),
  };
}

/** A number read from a policy table: return windows, warranty years, transit days. */
export function policy(rng: Rng): Draft {
  const which = rng.int(0, 2);
  if (which === 0) {
    const c = rng.pick(CATEGORIES);
    const opened = rng.next() < 0.5;
    const context = rng.shuffle([c, ...rng.sample(CATEGORIES.filter((x) => x !== c), 2)]).map(returnsSheet).join('\n');
    const ask = rng.pick([`How many days do I have to return ${opened ? 'an opened' : 'an unopened'} ${c} item?`, `What is the return window in days for ${c} products that are ${opened ? 'opened' : 'still sealed'}?`]);
    return { kind: 'policy', tier: 'fast', context, question: `Store policy:\n${context}\n\n${ask} Answer with the number of days only.`, expected: String(opened ? RETURN_DAYS[c].opened : RETURN_DAYS[c].unopened) };
  }
  if (which === 1) {
    const p = rng.pick(PRODUCTS);
    const context = sheets(rng, p, 2);
    const ask = rng.pick([`How many years of warranty does the ${p.name} have?`, `What is the warranty period of the ${p.name}, in years?`]);
    return { kind: 'policy', tier: 'fast', context, question: `Product information:\n${context}\n\n${ask} Answer with the number only.`, expected: String(p.warrantyYears) };
  }
  const r = rng.pick(REGIONS);
  const context = rng.shuffle([r, ...rng.sample(REGIONS.filter((x) => x !== r), 2)]).map(regionSheet).join('\n');
  const ask = rng.pick([`How many business days does standard shipping to ${r.name} take?`, `If I live in ${r.name}, how long is standard delivery in business days?`]);
  return { kind: 'policy', tier: 'fast', context, question: `Shipping policy:\n${context}\n\n${ask} Answer with the number only.`, expected: String(r.transitDays) };
}

export const DEPARTMENTS = ['billing', 'shipping', 'returns', 'technical', 'account'] as const;

const MESSAGES: Record<(typeof DEPARTMENTS)[number], string[]> = {
  billing: [
    'I was charged twice for order {o}. Please refund the duplicate payment.',
    'My card statement shows {m} for the {p} but the receipt says less. Why the difference?',
    'Can I get a VAT invoice for order {o}?',
    'The payment for my {p} failed but the money left my account.',
    'Please change the card you charge for my monthly subscription.',
  ],
  shipping: [
    'Order {o} has not arrived yet. Where is my parcel?',
    'The tracking for my {p} has not moved for four days.',
    'Can you deliver order {o} to my office address instead of home?',
    'The courier left my {p} with a neighbour I do not know. Who has it?',
    'Is express delivery possible for the {p}?',
  ],
  returns: [
    'I want to send back the {p}; it is not what I expected.',
    'How do I print a return label for order {o}?',
    'I returned the {p} two weeks ago and have not heard anything about the return.',
    'Can I exchange my {p} for a different colour?',
    'The {p} arrived and I changed my mind; I would like to return it unopened.',
  ],
  technical: [
    'My {p} will not switch on even after charging overnight.',
    'The {p} makes a loud buzzing noise when I use it.',
    'How do I reset the {p} to factory settings?',
    'The app does not find my {p} over Bluetooth.',
    'The {p} stopped working after the latest firmware update.',
  ],
  account: [
    'I cannot log in: the password reset email never arrives.',
    'Please delete my account and all the data you hold about me.',
    'How do I change the email address on my account?',
    'Someone else seems to have logged in to my account.',
    'I want to merge my two accounts into one.',
  ],
};

/** A support message routed to one of five departments; each template belongs to exactly one. */
export function classification(rng: Rng): Draft {
  const dept = rng.pick(DEPARTMENTS);
  const p = rng.pick(PRODUCTS);
  const message = rng.pick(MESSAGES[dept])
    .replace('{p}', p.name)
    .replace('{o}', `#${rng.int(100000, 999999)}`)
    .replace('{m}', `$${rng.int(20, 400)}.${String(rng.int(0, 99)).padStart(2, '0')}`);
  return {
    kind: 'classification', tier: 'fast',
    question: `Route this customer message to one department: ${DEPARTMENTS.join(', ')}.\n\nMessage: "${message}"\n\nReply with the department name only.`,
    expected: dept,
  };
}
