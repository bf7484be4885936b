import type { ReviewItem } from './types.js';

const RULE = '─'.repeat(72);

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** What a reviewer reads before grading: where the response came from, the request, its context and the answer. */
export function renderItem(item: ReviewItem, index: number, total: number): string {
  const r = item.response;
  const lines = [RULE, `Item ${index} of ${total}  ·  ${r.deployment} / ${r.variant}  ·  request ${r.requestId}  ·  ${r.time}`, RULE];
  for (const m of r.messages) lines.push(`${m.role.toUpperCase()}:`, indent(m.content), '');
  if (r.context !== undefined && r.context !== '') lines.push('CONTEXT given with the request:', indent(r.context), '');
  lines.push('RESPONSE:', indent(r.response), RULE);
  return `${lines.join('\n')}\n`;
}
