import type { InputIssue } from '../errors.js';
import { expectedText, type Parsed } from './case-line.js';
import { lookupPath } from './template.js';
import type { Case, DatasetMapping } from './types.js';

function fieldOf(record: Record<string, unknown>, field: string): unknown {
  return Object.hasOwn(record, field) ? record[field] : lookupPath(record, field.split('.'));
}

function clean(v: unknown, m: DatasetMapping): unknown {
  return m.trim && typeof v === 'string' ? v.trim() : v;
}

/**
 * One record of an external dataset → a Case, following the suite's `cases:` mapping. Every
 * missing field or unextractable answer is an issue naming the dataset file, line and field.
 */
export function mapDatasetRecord(file: string, line: number, record: Record<string, unknown>, m: DatasetMapping): Parsed {
  const issues: InputIssue[] = [];
  const need = (field: string, role: string): unknown => {
    const v = fieldOf(record, field);
    if (v === undefined || v === null) issues.push({ file, line, path: field, message: `record has no field '${field}' (mapped to ${role})` });
    return v;
  };

  let id: string;
  if (m.id === 'line') id = `${m.idPrefix}${line}`;
  else {
    const raw = need(m.id, 'id');
    id = `${m.idPrefix}${String(clean(raw, m) ?? '')}`;
    if (raw !== undefined && raw !== null && id === m.idPrefix) issues.push({ file, line, path: m.id, message: 'empty id' });
  }

  const vars: Record<string, unknown> = {};
  if (m.vars) for (const [name, field] of Object.entries(m.vars)) vars[name] = clean(need(field, `vars.${name}`), m);
  else for (const [k, v] of Object.entries(record)) vars[k] = clean(v, m);

  let expected: string | undefined;
  if (m.expected !== undefined) {
    expected = expectedText(clean(need(m.expected, 'expected'), m));
    if (expected !== undefined && m.expectedPattern) {
      const match = m.expectedPattern.exec(expected);
      if (!match || match[1] === undefined) {
        issues.push({ file, line, path: m.expected, message: `expectedPattern /${m.expectedPattern.source}/ does not match '${expected.length > 80 ? `…${expected.slice(-80)}` : expected}'` });
      } else expected = match[1];
    }
    if (expected !== undefined) {
      if (m.stripCommas) expected = expected.replace(/(\d),(?=\d{3}\b)/g, '$1');
      if (m.trim) expected = expected.trim();
    }
  }

  const context = m.context === undefined ? undefined : expectedText(clean(need(m.context, 'context'), m));

  let tags: string[] = [];
  if (m.tags && 'fixed' in m.tags) tags = [...m.tags.fixed];
  else if (m.tags) {
    const t = need(m.tags.field, 'tags');
    tags = (Array.isArray(t) ? t : t === undefined || t === null ? [] : [t]).map((x) => String(clean(x, m))).filter((x) => x !== '');
  }

  if (issues.length) return { issues };
  const c: Case = { id, vars, expected, context, tags, source: { file, line } };
  return { case: c };
}
