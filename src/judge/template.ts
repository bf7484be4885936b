/**
 * `{{name}}` templates for judge prompts and rubrics. Variables are looked up by dotted path
 * (`{{vars.topic}}`) or, for convenience, bare case variables (`{{topic}}`).
 */
const VARIABLE = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;

export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1] as string))];
}

function lookup(scope: Record<string, unknown>, path: string): unknown {
  let node: unknown = scope;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Renders the template; returns the names it could not resolve instead of silently inserting
 * nothing, so a typo in a rubric becomes a visible error rather than a quietly worse judge.
 */
export function renderTemplate(template: string, scope: Record<string, unknown>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = template.replace(VARIABLE, (whole, name: string) => {
    const value = lookup(scope, name);
    if (value === undefined || value === null) {
      missing.push(name);
      return whole;
    }
    return asText(value);
  });
  return { text, missing: [...new Set(missing)] };
}
