/**
 * Type checks of the chat request fields the gateway itself reads (model, messages' role and
 * content shape, stream, stream_options, temperature, top_p, max_tokens, max_completion_tokens,
 * n, user), answered like OpenAI: 400 `invalid_request_error` with `param` naming the field.
 * Every other field passes through to the upstream unchecked. Hand-written, not a zod parse: it
 * runs on every request, allocates nothing when the body is valid and walks each message once.
 */
export interface RequestFieldError {
  /** The field, OpenAI style: `temperature`, `messages[2].role`; none when the whole body is wrong. */
  param: string | undefined;
  /** OpenAI's codes: invalid_type, invalid_value, missing_required_parameter, empty_array. */
  code: 'invalid_type' | 'invalid_value' | 'missing_required_parameter' | 'empty_array';
  message: string;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

const typeName = (v: unknown): string => (v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
const invalid = (param: string, expected: string, got: unknown): RequestFieldError => ({ param, code: 'invalid_type', message: `Invalid type for '${param}': expected ${expected}, but got ${typeName(got)} instead.` });
const missing = (param: string): RequestFieldError => ({ param, code: 'missing_required_parameter', message: `Missing required parameter: '${param}'.` });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// The field checks take the value, read with a named property access by the caller: a keyed
// read (`body[key]`) shared by five keys goes megamorphic and cost ~0.4 µs a request.

/** Optional and nullable (as in OpenAI's API): absent, null, or a number. */
function numberField(v: unknown, key: string): RequestFieldError | undefined {
  return v === undefined || v === null || typeof v === 'number' ? undefined : invalid(key, 'a number', v);
}

/** Optional and nullable: absent, null, or an integer ≥ 1. */
function countField(v: unknown, key: string): RequestFieldError | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') return invalid(key, 'an integer', v);
  return Number.isInteger(v) && v >= 1 ? undefined : { param: key, code: 'invalid_value', message: `Invalid value for '${key}': expected an integer of at least 1, got ${v}.` };
}

/** String content, or an array of content parts (objects with a string `type`); null only where `nullable`. */
function contentError(content: unknown, param: string, nullable: boolean): RequestFieldError | undefined {
  if (typeof content === 'string') return undefined;
  if (content === undefined || content === null) {
    if (nullable) return undefined;
    return content === undefined ? missing(param) : invalid(param, 'a string or an array of content parts', content);
  }
  if (!Array.isArray(content)) return invalid(param, 'a string or an array of content parts', content);
  for (let i = 0; i < content.length; i++) {
    const part: unknown = content[i];
    if (!isObject(part)) return invalid(`${param}[${i}]`, 'a content part object', part);
    if (typeof part.type !== 'string') return invalid(`${param}[${i}].type`, 'a string', part.type);
  }
  return undefined;
}

function messagesError(messages: unknown): RequestFieldError | undefined {
  if (!Array.isArray(messages)) return messages === undefined ? missing('messages') : invalid('messages', 'an array of messages', messages);
  if (messages.length === 0) return { param: 'messages', code: 'empty_array', message: "Invalid 'messages': empty array. Expected an array with at least one message." };
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    if (!isObject(m)) return invalid(`messages[${i}]`, 'a message object', m);
    const role = m.role;
    if (typeof role !== 'string') return role === undefined ? missing(`messages[${i}].role`) : invalid(`messages[${i}].role`, 'a string', role);
    if (!ROLES.has(role)) return { param: `messages[${i}].role`, code: 'invalid_value', message: `Invalid value for 'messages[${i}].role': '${role.slice(0, 40)}'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool' and 'function'.` };
    // An assistant turn may carry only tool calls, and a function result may be null.
    const e = contentError(m.content, `messages[${i}].content`, role === 'assistant' || role === 'function');
    if (e) return e;
  }
  return undefined;
}

/**
 * The first wrong field of a chat request body, or undefined when every field the gateway reads
 * has the right type (then `body` is a ChatRequestBody).
 */
export function chatRequestError(body: unknown): RequestFieldError | undefined {
  if (!isObject(body)) return { param: undefined, code: 'invalid_type', message: body === undefined ? 'The request body is empty: expected a JSON chat completion request.' : `The request body must be a JSON object (a chat completion request), not ${typeName(body)}.` };
  const model = body.model;
  if (typeof model !== 'string' || model === '') return model === undefined ? missing('model') : typeof model === 'string' ? { param: 'model', code: 'invalid_value', message: "Invalid 'model': empty string. Expected a deployment name (GET /v1/models lists them)." } : invalid('model', 'a string', model);
  const e = messagesError(body.messages);
  if (e) return e;
  const stream = body.stream;
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') return invalid('stream', 'a boolean', stream);
  const so = body.stream_options;
  if (so !== undefined && so !== null) {
    if (!isObject(so)) return invalid('stream_options', 'an object', so);
    if (so.include_usage !== undefined && so.include_usage !== null && typeof so.include_usage !== 'boolean') return invalid('stream_options.include_usage', 'a boolean', so.include_usage);
  }
  const user = body.user;
  if (user !== undefined && user !== null && typeof user !== 'string') return invalid('user', 'a string', user);
  return numberField(body.temperature, 'temperature') ?? numberField(body.top_p, 'top_p') ?? countField(body.max_tokens, 'max_tokens')
    ?? countField(body.max_completion_tokens, 'max_completion_tokens') ?? countField(body.n, 'n');
}
