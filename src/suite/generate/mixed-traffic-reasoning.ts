import {
  DISPATCH_DAYS, MEMBER_DISCOUNT_PERCENT, PRODUCTS, REGIONS, RESTOCKING_PERCENT, RETURN_DAYS, WEEKDAYS,
  dollars, productSheet, regionSheet, returnsSheet, type Product,
} from './catalogue.js';
import type { Draft } from './mixed-traffic-fast.js';
import type { Rng } from './prng.js';

const money = (cents: number) => (cents / 100).toFixed(2);

function orderLines(rng: Rng, n: number): Array<{ p: Product; q: number }> {
  return rng.sample(PRODUCTS, n).map((p) => ({ p, q: rng.int(1, 4) }));
}
const describe = (lines: Array<{ p: Product; q: number }>) => lines.map((l) => `${l.q} × ${l.p.name} at ${dollars(l.p.priceCents)} each`).join(', ');

/** Sum of an order given its unit prices. */
export function arithmetic(rng: Rng): Draft {
  const lines = orderLines(rng, rng.int(2, 3));
  const total = lines.reduce((s, l) => s + l.q * l.p.priceCents, 0);
  return {
    kind: 'arithmetic', tier: 'mid',
    question: `An order contains ${describe(lines)}. What is the total price of the items in dollars? Answer with the number only.`,
    expected: money(total),
  };
}

const FIRST = ['Amara', 'Bastian', 'Chiara', 'Dmitri', 'Esme', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonah', 'Kavya', 'Lorcan', 'Mira', 'Nikolai', 'Odile', 'Pavel'];
const LAST = ['Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Castillo', 'Brennan', 'Haddad', 'Novak', 'Silva', 'Wojcik', 'Achebe', 'Fontaine'];
const MAIL_DOMAINS = ['example.com', 'mail.example.org', 'post.example.net'];

/** A free-text order request → the five fields as JSON. */
export function jsonExtraction(rng: Rng): Draft {
  const first = rng.pick(FIRST), last = rng.pick(LAST);
  const name = `${first} ${last}`;
  const email = `${first.toLowerCase()}.${last.toLowerCase()}${rng.int(1, 99)}@${rng.pick(MAIL_DOMAINS)}`;
  const p = rng.pick(PRODUCTS);
  const quantity = rng.int(1, 12);
  const city = rng.pick(REGIONS).name;
  const message = rng.pick([
    `Hi, this is ${name} (${email}). I'd like ${quantity} of the ${p.name}, delivered to ${city} please.`,
    `Please send ${quantity} × ${p.name} to ${city}. Thanks, ${name} — reply to ${email}.`,
    `Order request from ${name}: ${p.name}, quantity ${quantity}. Ship to: ${city}. Contact: ${email}`,
    `${name} here. Could you ship ${quantity} units of the ${p.name} to my address in ${city}? My email is ${email}.`,
  ]);
  return {
    kind: 'json-extraction', tier: 'mid',
    question: `Extract the order from this message as a JSON object with keys "name", "email", "product", "quantity" (a number) and "city".\n\nMessage: ${message}\n\nReply with the JSON only.`,
    expected: JSON.stringify({ name, email, product: p.name, quantity, city }),
  };
}

/** Items total, member discount, then shipping unless the discounted items total reaches the free threshold. */
function orderTotal(rng: Rng): Draft {
  for (;;) {
    const lines = orderLines(rng, rng.int(1, 3));
    const items = lines.reduce((s, l) => s + l.q * l.p.priceCents, 0);
    const member = rng.next() < 0.5;
    // Only discounts that come to whole cents, so no rounding rule can make the label ambiguous.
    if (member && (items * MEMBER_DISCOUNT_PERCENT) % 100 !== 0) continue;
    const discounted = member ? items - (items * MEMBER_DISCOUNT_PERCENT) / 100 : items;
    const region = rng.pick(REGIONS);
    const total = discounted + (discounted >= region.freeOverCents ? 0 : region.shippingCents);
    const context = [...lines.map((l) => productSheet(l.p)), regionSheet(region), `Members get ${MEMBER_DISCOUNT_PERCENT}% off items (not shipping); the free-shipping threshold applies to the items total after the discount.`].join('\n');
    return {
      kind: 'multi-step', tier: 'powerful', context,
      question: `Shop rules:\n${context}\n\nA ${member ? 'member' : 'customer who is not a member'} in ${region.name} orders ${lines.map((l) => `${l.q} × ${l.p.name}`).join(' and ')} with standard shipping. How much do they pay in total, in dollars? Give the final amount as a number on the last line.`,
      expected: money(total),
    };
  }
}

/** Refund of an opened return: nothing outside the window, else price minus the restocking fee. */
function refund(rng: Rng): Draft {
  for (;;) {
    const p = rng.pick(PRODUCTS);
    const fee = (p.priceCents * RESTOCKING_PERCENT[p.category]) / 100;
    if (!Number.isInteger(fee)) continue;
    const window = RETURN_DAYS[p.category].opened;
    const days = rng.next() < 0.3 ? window + rng.int(1, 10) : rng.int(1, window);
    const context = [productSheet(p), returnsSheet(p.category)].join('\n');
    return {
      kind: 'multi-step', tier: 'powerful', context,
      question: `Shop rules:\n${context}\n\nA customer opened their ${p.name} and asks to return it ${days} days after delivery. How many dollars are refunded (0 if the return is refused)? Give the final amount as a number on the last line.`,
      expected: money(days <= window ? p.priceCents - fee : 0),
    };
  }
}

export function multiStep(rng: Rng): Draft {
  return rng.next() < 0.7 ? orderTotal(rng) : refund(rng);
}

/** Weekday an order arrives: dispatch after DISPATCH_DAYS business days, then transit business days. */
export function scheduling(rng: Rng): Draft {
  const ordered = rng.int(0, 4);
  const region = rng.pick(REGIONS);
  const arrives = WEEKDAYS[(ordered + DISPATCH_DAYS + region.transitDays) % 5] as string;
  const context = [`Orders are dispatched ${DISPATCH_DAYS} business day after they are placed. Business days are Monday to Friday.`, regionSheet(region)].join('\n');
  return {
    kind: 'scheduling', tier: 'powerful', context,
    question: `Shop rules:\n${context}\n\nAn order to ${region.name} is placed on a ${WEEKDAYS[ordered]} morning. On which weekday does it arrive? Answer with the weekday only.`,
    expected: arrives,
  };
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/** A delivery order fixed by shuffled "X before Y" facts about neighbours: exactly one answer. */
export function logic(rng: Rng): Draft {
  const n = rng.int(4, 5);
  const people = rng.sample(FIRST, n);
  const facts = rng.shuffle(people.slice(0, -1).map((a, i) => `${a}'s parcel arrived before ${people[i + 1]}'s, with no parcel in between.`));
  const k = rng.int(0, n - 1);
  const which = k === n - 1 ? 'last' : ORDINALS[k];
  return {
    kind: 'logic', tier: 'powerful',
    question: `${n} parcels were delivered one after another, to ${rng.shuffle(people).join(', ')}.\n${facts.join('\n')}\n\nWhose parcel arrived ${which}? Answer with the name only.`,
    expected: people[k] as string,
  };
}
