import type { RouteRequest } from './types.js';

/**
 * Request features the complexity classifier reads. Counts enter as log1p so a 5,000-word prompt
 * does not dwarf everything else; cue counts are capped for the same reason. The order of
 * FEATURE_NAMES is the order of the vector and is stored in every model file (a model trained on
 * another feature list is refused, not misread).
 */
export const FEATURE_NAMES = [
  'query_chars',
  'query_words',
  'sentences',
  'questions',
  'numbers',
  'math_cues',
  'code_markers',
  'entities',
  'conversation_depth',
  'history_chars',
  'context_chars',
  'max_tokens',
  'long_output_cues',
  'lookup_cues',
  'reasoning_cues',
  'stakes',
  'wants_json',
  'list_items',
  'first_person',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const FEATURE_COUNT = FEATURE_NAMES.length;

const cap = (n: number, max: number) => (n > max ? max : n);
const log1p = Math.log1p;

function countMatches(text: string, re: RegExp): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

// Global regexes are reused (lastIndex reset in countMatches) so classification allocates little.
const WORD = /\S+/g;
const SENTENCE_END = /[.!?]+(?=\s|$)/g;
const QUESTION = /\?/g;
const NUMBER = /(?<![\w.])[$€£]?\d[\d,]*(?:\.\d+)?%?/g;
const MATH_CUES =
  /\b(?:how (?:many|much|long|far|old)|total|each|per|percent(?:age)?|average|ratio|twice|half|times as|sum|remaining|left over|altogether|calculate|solve|equation|integral|derivative|probability|prove|theorem)\b|\d\s*[-+*/×÷^=<>]\s*\d/gi;
const CODE_MARKERS =
  /```|\b(?:function|def|class|return|const|let|var|import|public|static|void|async|await|SELECT|INSERT|lambda|printf|console\.log|regex|compile[sd]?|stack ?trace|traceback|exception|segfault|null pointer|API|SQL|JSON|YAML|python|typescript|javascript|rust|java|kotlin|golang)\b|[{};]\s*$|=>|\(\)/gm;
const CAPITALISED_MID_SENTENCE = /(?<=[a-z,;:]\s+)[A-Z][a-zA-Z]+/g;
const LONG_OUTPUT_CUES =
  /\b(?:essay|report|detailed|in detail|in depth|in-depth|step[- ]by[- ]step|comprehensive|thorough(?:ly)?|draft|write (?:a|an|the)|outline|plan|proposal|walk me through|elaborate|full|document(?:ation)?|chapters?|sections?|pages?|\d{3,} words)\b/gi;
const LOOKUP_CUES =
  /\b(?:what is|what's|where (?:is|can|do)|when (?:will|is|can|does)|how do i|how can i|can i|can you|is there|is it|do you|does|why (?:is|was|hasn't|has|did) my|my (?:card|account|order|password|payment|transfer|refund|package|balance|pin)|status|reset|cancel|change|update|hello|hi|thanks|thank you|please)\b/gi;
const REASONING_CUES =
  /\b(?:why|compare|comparison|contrast|analy[sz]e|analysis|evaluate|assess|trade-?offs?|design|architect(?:ure)?|prove|derive|strategy|strategic|implications?|pros and cons|critique|justify|optimi[sz]e|refactor|debug|root cause|reason(?:ing)?|recommend(?:ation)?s?|consider(?:ing)?|given that|suppose|assum(?:e|ing|ption)|multi-?step|constraints?|edge cases?)\b/gi;
const STAKES_WORDS =
  /\b(?:legal|lawsuit|litigation|liabilit(?:y|ies)|contract|clause|indemnif\w*|compliance|regulat\w+|GDPR|HIPAA|diagnos\w+|dosage|medical|clinical|symptoms?|fiduciary|audit|securities|tax (?:law|code)|court|attorney|patent)\b/gi;
const STAKES_TAG = /^(?:stakes:(?:high|critical)|legal|medical|financial|compliance)/i;
const FIRST_PERSON = /\b(?:I|I'm|I've|my|me|mine)\b/g;
const LIST_ITEM = /^\s*(?:[-*•]|\d+[.)]|[a-z][.)])\s+/gm;

/** The text the classifier judges: the last user message (what the model must answer now). */
function lastUserText(req: RouteRequest): { query: string; historyChars: number; userTurns: number } {
  let query = '';
  let queryIndex = -1;
  let userTurns = 0;
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i]!;
    if (m.role === 'user') {
      userTurns++;
      if (queryIndex < 0) {
        queryIndex = i;
        query = m.content;
      }
    }
  }
  let historyChars = 0;
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i]!;
    // System prompts are the same for every request of an app: they say nothing about this one.
    if (i !== queryIndex && m.role !== 'system' && m.role !== 'tool') historyChars += m.content.length;
  }
  return { query, historyChars, userTurns };
}

function contextChars(req: RouteRequest): number {
  let n = req.context?.length ?? 0;
  for (const m of req.messages) if (m.role === 'tool') n += m.content.length;
  return n;
}

/** Feature vector in FEATURE_NAMES order. Pure; never throws on any request shape it types. */
export function extractFeatures(req: RouteRequest, out: Float64Array = new Float64Array(FEATURE_COUNT)): Float64Array {
  const { query, historyChars, userTurns } = lastUserText(req);
  const text = query.trim();
  const stakesTagged = (req.tags ?? []).some((t) => STAKES_TAG.test(t));
  out[0] = log1p(text.length);
  out[1] = log1p(countMatches(text, WORD));
  out[2] = log1p(cap(countMatches(text, SENTENCE_END) || (text.length > 0 ? 1 : 0), 50));
  out[3] = log1p(cap(countMatches(text, QUESTION), 20));
  out[4] = log1p(cap(countMatches(text, NUMBER), 50));
  out[5] = log1p(cap(countMatches(text, MATH_CUES), 30));
  out[6] = log1p(cap(countMatches(text, CODE_MARKERS), 50));
  out[7] = log1p(cap(countMatches(text, CAPITALISED_MID_SENTENCE), 50));
  out[8] = log1p(cap(Math.max(0, userTurns - 1), 50));
  out[9] = log1p(historyChars);
  out[10] = log1p(contextChars(req));
  out[11] = req.maxTokens !== undefined && req.maxTokens > 0 ? log1p(req.maxTokens) : 0;
  out[12] = log1p(cap(countMatches(text, LONG_OUTPUT_CUES), 20));
  out[13] = log1p(cap(countMatches(text, LOOKUP_CUES), 20));
  out[14] = log1p(cap(countMatches(text, REASONING_CUES), 20));
  out[15] = log1p(cap(countMatches(text, STAKES_WORDS), 20)) + (stakesTagged ? 2 : 0);
  out[16] = req.wantsJson === true ? 1 : 0;
  out[17] = log1p(cap(countMatches(text, LIST_ITEM), 30));
  // Support requests speak about the customer's own situation; tasks and problems do not.
  out[18] = log1p(cap(countMatches(text, FIRST_PERSON), 20)) / log1p(countMatches(text, WORD) || 1);
  return out;
}

/** A request made of one user message, for the CLI and for training pairs. */
export function fromQuery(query: string, extra: Omit<RouteRequest, 'messages'> = {}): RouteRequest {
  return Object.assign({}, extra, { messages: [{ role: 'user' as const, content: query }] });
}
