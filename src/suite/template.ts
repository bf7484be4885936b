/**
 * Prompt templates: `{{var}}`, `{{ var }}` and dotted paths `{{a.b}}`. A template is compiled
 * once per suite into literal/path parts, so rendering 100k cases is string concatenation.
 */
const VARIABLE = /\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;

type Part = string | { path: string[]; name: string };

export interface CompiledTemplate {
  /** Dotted variable paths the template references, in order of first use. */
  readonly variables: string[];
  /** Renders with `scope`; throws MissingVariableError naming the first unresolved variable. */
  render(scope: Record<string, unknown>): string;
}

export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`template variable {{${variable}}} has no value`);
    this.name = 'MissingVariableError';
  }
}

/** The value at a dotted path, or undefined when any step is missing. */
export function lookupPath(scope: unknown, path: readonly string[]): unknown {
  let node = scope;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** How a value is written into a prompt: strings as they are, anything else as JSON. */
export function asPromptText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function compileTemplate(template: string): CompiledTemplate {
  const parts: Part[] = [];
  const variables: string[] = [];
  let last = 0;
  for (const m of template.matchAll(VARIABLE)) {
    const name = m[1] as string;
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ path: name.split('.'), name });
    if (!variables.includes(name)) variables.push(name);
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return {
    variables,
    render(scope) {
      let out = '';
      for (const p of parts) {
        if (typeof p === 'string') {
          out += p;
          continue;
        }
        const v = lookupPath(scope, p.path);
        if (v === undefined) throw new MissingVariableError(p.name);
        out += asPromptText(v);
      }
      return out;
    },
  };
}
