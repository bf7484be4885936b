/**
 * Generates the support-rag suite deterministically: `npx tsx suites/support-rag/generate.ts`.
 *
 * Every case has a help-centre `context` (two key sentences + distractors from other topics)
 * and an `expected` answer. For each case the generator also constructs one answer whose
 * faithfulness is known BY CONSTRUCTION, written to labels/*.jsonl as "human" labels:
 *   full       the two key sentences, copied from the context          → faithful, grade 5
 *   partial    only the first key sentence                             → faithful, grade 4
 *   wrong-num  a key sentence with one number changed to one not in the context → hallucination, grade 1
 *   fabricated the key sentences plus an invented sentence whose words are not in the context → hallucination, grade 2
 * The same answers are also written as a replay recording (answers.recording.jsonl), so
 * `llmops eval suites/support-rag -m replay:suites/support-rag/answers.recording.jsonl` scores
 * them end to end through the eval runner: 85 of the 200 answers are hallucinations.
 * The knowledge-base text is written for this suite (no external data).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokensMissingFrom } from '../../src/judge/text.js';
import { messagesHash, requestKey } from '../../src/providers/request-key.js';
import { iterateCases, loadSuite, renderMessages } from '../../src/suite/index.js';

type Rng = () => number;
/** mulberry32: a tiny seeded PRNG so the files are identical on every machine. */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

interface Topic {
  id: string;
  questions: [string, string];
  facts(rng: Rng): [string, string];
}

const TOPICS: Topic[] = [
  { id: 'card_delivery', questions: ['How long does a new card take to arrive?', 'When will my replacement card get here?'],
    facts: (r) => [`A replacement card arrives within ${int(r, 3, 9)} working days of your request.`, `Express delivery costs ${int(r, 5, 15)} pounds and takes ${int(r, 2, 3)} working days.`] },
  { id: 'transfer_fee', questions: ['What does an international transfer cost?', 'Is there a fee for sending money abroad?'],
    facts: (r) => [`International transfers cost ${int(r, 1, 4)} percent of the amount, with a minimum fee of ${int(r, 2, 9)} pounds.`, 'Transfers in euros to SEPA countries are free.'] },
  { id: 'pin_blocked', questions: ['My PIN is blocked, what can I do?', 'How do I unblock my PIN?'],
    facts: (r) => [`Your PIN is blocked after ${int(r, 3, 5)} wrong attempts.`, 'You can unblock it in the app under Card settings, then Unblock PIN.'] },
  { id: 'cash_withdrawal', questions: ['How much cash can I withdraw for free?', 'Do ATM withdrawals cost anything?'],
    facts: (r) => [`You can withdraw up to ${int(r, 2, 8) * 50} pounds a month from ATMs for free.`, `Above that limit each withdrawal costs ${int(r, 1, 3)} percent.`] },
  { id: 'top_up_limits', questions: ['What is the maximum I can top up?', 'Is there a limit on top-ups?'],
    facts: (r) => [`The maximum account balance is ${int(r, 10, 50) * 1000} pounds.`, `A single top-up can be at most ${int(r, 2, 9) * 500} pounds.`] },
  { id: 'refund_time', questions: ['When will my card refund arrive?', 'How long do refunds take?'],
    facts: (r) => [`Card refunds usually appear within ${int(r, 3, 7)} days.`, `If a refund takes longer than ${int(r, 10, 15)} days, contact the merchant first.`] },
  { id: 'account_closure', questions: ['How do I close my account?', 'What happens to my money if I close my account?'],
    facts: (r) => ['You can close your account from the Profile screen.', `Any remaining balance is sent to your linked bank account within ${int(r, 2, 6)} working days.`] },
  { id: 'exchange_rate', questions: ['Which exchange rate do you use?', 'Is currency exchange more expensive at weekends?'],
    facts: (r) => ['We use the interbank rate on weekdays.', `At weekends a markup of ${int(r, 1, 2)}.${int(r, 0, 9)} percent applies.`] },
  { id: 'disposable_cards', questions: ['How many disposable cards can I create?', 'How do disposable virtual cards work?'],
    facts: (r) => [`Premium customers can create up to ${int(r, 2, 10)} disposable virtual cards a day.`, 'Each disposable card works for one payment only.'] },
  { id: 'lost_card', questions: ['I lost my card, what should I do?', 'Does a replacement for a lost card cost money?'],
    facts: (r) => ['Freeze a lost card immediately in the app.', `A replacement for a lost card costs ${int(r, 3, 12)} pounds.`] },
];

const FABRICATIONS = [
  'This fee is waived for students under 25.',
  'Our branch staff can speed this up if you visit in person.',
  'You will receive a 20 pound voucher for the inconvenience.',
  'This rule changed in March 2024 after a regulator review.',
  'Gold members get priority handling by a dedicated advisor.',
];

type Kind = 'full' | 'partial' | 'wrong-num' | 'fabricated';
const KINDS: Array<[Kind, number]> = [['full', 0.4], ['partial', 0.2], ['wrong-num', 0.2], ['fabricated', 0.2]];
const GRADE: Record<Kind, number> = { full: 5, partial: 4, 'wrong-num': 1, fabricated: 2 };

function chooseKind(rng: Rng): Kind {
  let x = rng();
  for (const [k, p] of KINDS) if ((x -= p) < 0) return k;
  return 'full';
}

/** Changes the first number of the sentence to one that appears nowhere in the context. */
function changeNumber(sentence: string, context: string, rng: Rng): string | undefined {
  const m = /\d+(?:\.\d+)?/.exec(sentence);
  if (!m) return undefined;
  const original = Number(m[0]);
  for (let tries = 0; tries < 50; tries++) {
    const candidate = String(original + int(rng, 1, 9) * (rng() < 0.5 && original > 10 ? -1 : 1));
    if (!new RegExp(`(^|[^\\d.])${candidate.replace('.', '\\.')}([^\\d]|$)`).test(context) && Number(candidate) > 0) {
      return sentence.slice(0, m.index) + candidate + sentence.slice(m.index + m[0].length);
    }
  }
  return undefined;
}

const here = dirname(fileURLToPath(import.meta.url));
const rng = mulberry32(20240611);
const cases: string[] = [];
const faithLabels: string[] = [];
const gradeLabels: string[] = [];
let n = 0;
for (let variant = 0; variant < 10; variant++) {
  for (const topic of TOPICS) {
    for (const question of topic.questions) {
      n++;
      const id = `rag-${String(n).padStart(3, '0')}`;
      const key = topic.facts(rng);
      const others = TOPICS.filter((t) => t.id !== topic.id);
      const distractors = [pick(rng, others), pick(rng, others)].map((t) => t.facts(rng)[int(rng, 0, 1)] as string);
      const context = [key[0], distractors[0], key[1], distractors[1]].join(' ');
      const expected = `${key[0]} ${key[1]}`;
      let kind = chooseKind(rng);
      let output = expected;
      if (kind === 'partial') output = key[0];
      if (kind === 'wrong-num') {
        const idx = /\d/.test(key[0]) ? 0 : 1;
        const changed = changeNumber(key[idx], context, rng);
        if (changed === undefined) kind = 'full';
        else output = idx === 0 ? `${changed} ${key[1]}` : `${key[0]} ${changed}`;
      }
      if (kind === 'fabricated') {
        const usable = FABRICATIONS.filter((f) => tokensMissingFrom(f, `${context} ${question}`).length > 0);
        output = `${expected} ${pick(rng, usable)}`;
      }
      // Construction invariant: a hallucinated answer holds a word or number absent from the context.
      const hallucinated = kind === 'wrong-num' || kind === 'fabricated';
      if (hallucinated !== tokensMissingFrom(output, `${context} ${question}`).length > 0) {
        throw new Error(`construction broke for ${id} (${kind}): ${output}`);
      }
      cases.push(JSON.stringify({ id, vars: { question }, expected, context, tags: [topic.id] }));
      faithLabels.push(JSON.stringify({ id, output, label: !hallucinated, kind }));
      gradeLabels.push(JSON.stringify({ id, output, label: GRADE[kind], kind }));
    }
  }
}
writeFileSync(join(here, 'cases.jsonl'), `${cases.join('\n')}\n`);
writeFileSync(join(here, 'labels', 'faithfulness.jsonl'), `${faithLabels.join('\n')}\n`);
writeFileSync(join(here, 'labels', 'helpfulness.jsonl'), `${gradeLabels.join('\n')}\n`);

// The recording: each constructed answer keyed by the exact request the eval runner sends for
// its case (system + rendered prompt, default settings), under one model name.
const RECORDED_MODEL = 'support-rag-constructed';
const answers = new Map(faithLabels.map((l) => JSON.parse(l) as { id: string; output: string }).map((l) => [l.id, l.output]));
const suite = await loadSuite(here);
const render = renderMessages(suite);
const recording: string[] = [];
for await (const c of iterateCases(suite)) {
  const req = { messages: render(c) };
  const text = answers.get(c.id) as string;
  recording.push(JSON.stringify({
    key: requestKey(RECORDED_MODEL, req), model: RECORDED_MODEL, messagesHash: messagesHash(req), text,
    tokens: { input: Math.ceil(req.messages.reduce((n, m) => n + m.content.length, 0) / 4), output: Math.ceil(text.length / 4) },
    latencyMs: 0, ttftMs: null, caseId: c.id,
  }));
}
writeFileSync(join(here, 'answers.recording.jsonl'), `${recording.join('\n')}\n`);
process.stderr.write(`wrote ${cases.length} cases, their labels and the recording of the labelled answers to ${here}\n`);
