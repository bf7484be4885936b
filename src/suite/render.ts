import type { ChatMessage } from '../providers/types.js';
import { compileTemplate } from './template.js';
import type { Case, Suite } from './types.js';

/**
 * What a template can reference: the case variables by name (`{{question}}`, `{{order.id}}`),
 * plus `{{vars.x}}`, `{{context}}` and `{{id}}`. `expected` is deliberately absent: a prompt
 * must never leak the answer.
 */
export function caseScope(c: Case): Record<string, unknown> {
  return { id: c.id, ...(c.context === undefined ? {} : { context: c.context }), vars: c.vars, ...c.vars };
}

export type CaseRenderer = (c: Case) => ChatMessage[];

/**
 * The messages sent for a case: the suite's `system` (if any) and its `prompt`, rendered.
 * `renderMessages(suite)` compiles the templates once and returns a fast renderer;
 * `renderMessages(suite, c)` renders one case. A variable a case lacks throws
 * MissingVariableError (loadSuite has already rejected such suites).
 */
export function renderMessages(suite: Suite): CaseRenderer;
export function renderMessages(suite: Suite, c: Case): ChatMessage[];
export function renderMessages(suite: Suite, c?: Case): CaseRenderer | ChatMessage[] {
  const prompt = compileTemplate(suite.prompt);
  const system = suite.system === undefined ? undefined : compileTemplate(suite.system);
  const render: CaseRenderer = (x) => {
    const scope = caseScope(x);
    const user: ChatMessage = { role: 'user', content: prompt.render(scope) };
    return system ? [{ role: 'system', content: system.render(scope) }, user] : [user];
  };
  return c === undefined ? render : render(c);
}
