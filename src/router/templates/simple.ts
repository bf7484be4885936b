import type { Rng } from '../../stats/prng.js';
import type { LabelledRequest } from '../pairs.js';
import { ACCOUNT_THINGS, ACTIONS, COUNTRIES, LANGS, PHRASES, PROBLEMS, WORDS, between, capitalise, casual, chance, pick } from './vocab.js';

/**
 * Requests any small model answers well: short support questions, lookups, one-line rewrites.
 * Labels are "fast" by construction.
 */
const templates: Array<(rng: Rng) => string> = [
  (r) => `My ${pick(r, ACCOUNT_THINGS)} ${pick(r, PROBLEMS)}.`,
  (r) => `My ${pick(r, ACCOUNT_THINGS)} ${pick(r, PROBLEMS)}, what should I do?`,
  (r) => `Why ${pick(r, ['is', 'was', 'has'])} my ${pick(r, ACCOUNT_THINGS)} ${pick(r, ['declined', 'blocked', 'pending', 'not showing', 'been charged a fee', 'not updated'])}?`,
  (r) => `How do I ${pick(r, ACTIONS)}?`,
  (r) => `Can I ${pick(r, ACTIONS)} ${pick(r, ['online', 'from the app', 'today', 'without calling', 'myself'])}?`,
  (r) => `I want to ${pick(r, ACTIONS)}.`,
  (r) => `I need to ${pick(r, ACTIONS)}, can you help me?`,
  (r) => `Where can I see my ${pick(r, ACCOUNT_THINGS)}?`,
  (r) => `When will my ${pick(r, ACCOUNT_THINGS)} ${pick(r, ['arrive', 'be ready', 'be processed', 'go through', 'be updated'])}?`,
  (r) => `Is there a fee for ${pick(r, ['transfers', 'cash withdrawals', 'a new card', 'paying abroad', 'closing the account', 'exchanging currency'])}?`,
  (r) => `What is the ${pick(r, ['limit', 'fee', 'exchange rate', 'interest rate', 'minimum age', 'processing time'])} for ${pick(r, ['top ups', 'withdrawals', 'international payments', 'new accounts', 'transfers'])}?`,
  (r) => `I ${pick(r, ['made', 'sent', 'received'])} a ${pick(r, ['payment', 'transfer', 'refund'])} of $${between(r, 5, 900)} ${pick(r, ['yesterday', 'last week', 'two days ago', 'this morning'])} and it ${pick(r, PROBLEMS)}.`,
  (r) => `There is a charge of ${between(r, 1, 99)} ${pick(r, ['dollars', 'euros', 'pounds'])} on my ${pick(r, ['statement', 'account', 'card'])} that I don't recognise.`,
  (r) => `I ${pick(r, ['lost', 'forgot', 'misplaced'])} my ${pick(r, ['card', 'phone', 'password', 'PIN'])}. ${pick(r, ['What now?', 'Please help.', 'How do I get a new one?', 'Can you block it?'])}`,
  (r) => `${pick(r, ['Hi', 'Hello', 'Hey'])}, ${pick(r, ['quick question:', 'I was wondering,', ''])} ${pick(r, ['do you support Apple Pay', 'are you open on weekends', 'can I pay by card', 'is the app down', 'do you ship abroad'])}?`,
  (r) => pick(r, ['Thanks!', 'Thank you, that worked.', 'ok great', 'Hello', 'Are you a bot?', 'Can I talk to a human?', 'Never mind.', 'Good morning!']),
  (r) => `What is the capital of ${pick(r, COUNTRIES)}?`,
  (r) => `Translate "${pick(r, PHRASES)}" into ${pick(r, LANGS)}.`,
  (r) => `Define ${pick(r, WORDS)}.`,
  (r) => `What does ${pick(r, WORDS)} mean?`,
  (r) => `Fix the spelling: "${pick(r, ['I recieved the pakage', 'Their going to the shop', 'Its a beatiful day', 'Please adress the leter'])}"`,
  (r) => `What time is it in ${pick(r, COUNTRIES)} right now?`,
  (r) => `How many days are in ${pick(r, ['February', 'a leap year', 'March', 'a week'])}?`,
  (r) => `Is my ${pick(r, ACCOUNT_THINGS)} ${pick(r, ['active', 'safe', 'verified', 'ready'])}? I ${pick(r, ['ordered', 'set it up', 'applied'])} ${between(r, 2, 14)} days ago.`,
  (r) => `${capitalise(pick(r, ['still waiting on', 'no sign of', 'where is', 'what happened to']))} my ${pick(r, ACCOUNT_THINGS)}`,
  (r) => `The ${pick(r, ['app', 'website', 'card reader', 'ATM', 'login page'])} ${pick(r, ['keeps crashing', 'says error', 'will not load', 'rejected my card', 'is very slow'])}. ${pick(r, ['Is something wrong?', 'Any idea?', 'Help!', ''])}`,
];

/** Two or three short clauses, the way customers describe one problem in a chat box. */
function supportStory(r: Rng): string {
  const thing = pick(r, ACCOUNT_THINGS);
  const situation = pick(r, [
    `I ${pick(r, ['ordered', 'requested', 'applied for', 'set up', 'paid for'])} ${pick(r, ['a new', 'my', 'the'])} ${thing} ${pick(r, ['a week ago', `${between(r, 2, 20)} days ago`, 'last month', 'on Monday', 'recently'])}`,
    `I ${pick(r, ['found', 'got back', 'received', 'finally got'])} my ${thing} ${pick(r, ['this morning', 'today', 'yesterday', 'in my jacket pocket'])}`,
    `I ${pick(r, ["can't", 'cannot', "don't know how to", 'tried to'])} ${pick(r, ACTIONS)}`,
    `I'm ${pick(r, ['still waiting for', 'worried about', 'confused about', 'having trouble with', 'not happy with'])} my ${thing}`,
    `${pick(r, ['Someone', 'A shop', 'The merchant', 'My landlord'])} ${pick(r, ['charged me', 'sent me money', 'refunded me', 'took money from my account'])} ${pick(r, ['twice', 'yesterday', 'but it is not showing', 'without asking'])}`,
  ]);
  const status = pick(r, [`and it ${pick(r, PROBLEMS)}`, `but it ${pick(r, PROBLEMS)}`, `and I still ${pick(r, ["haven't received it", "can't see it in the app", "can't use it", 'have no update'])}`, '', '']);
  const ask = pick(r, ['What should I do?', 'What do I do?', 'Can you help?', 'Could you help me with this?', 'Is this normal?', 'How do I fix it?', 'Why is that?', 'How long will it take?', 'Please help.', 'Can you check?', '']);
  return `${situation}${status ? ` ${status}` : ''}${chance(r, 0.5) ? '.' : ','} ${ask}`;
}

export function simpleRequest(rng: Rng): LabelledRequest {
  const raw = chance(rng, 0.35) ? supportStory(rng) : templates[rng.int(templates.length)]!(rng);
  const query = casual(rng, raw.replace(/\s+/g, ' ').replace(/,\s*$/, '.').trim());
  const pair: LabelledRequest = { query, tier: 'fast' };
  if (chance(rng, 0.2)) pair.maxTokens = between(rng, 64, 300);
  if (chance(rng, 0.05)) pair.wantsJson = true;
  return pair;
}
