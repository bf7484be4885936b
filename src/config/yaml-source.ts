import { readFileSync } from 'node:fs';
import { isCollection, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError, type InputIssue } from '../errors.js';
import { schemaIssues } from './zod-issues.js';

/**
 * Where a key path is in a YAML file. A path that exists points at its value (the key instead
 * when the value is a block mapping or list, which starts on the next line), or at the key
 * itself with `{ key: true }` (an unknown key). A path that does not exist (a missing key)
 * points at the deepest mapping on it that does: the mapping that lacks the key.
 */
export type Locate = (path: ReadonlyArray<PropertyKey>, opts?: { key?: boolean }) => { line?: number; column?: number };

/** A parsed YAML file that can tell where any key path came from. */
export interface YamlSource {
  file: string;
  data: unknown;
  locate: Locate;
}

export function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    throw InputError.at({ file }, `cannot read ${what}: ${why}`);
  }
}

export function parseYamlText(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        // linePos is only filled with prettyErrors; otherwise derive it from the offset.
        const pos = e.linePos?.[0] ?? (e.pos?.[0] === undefined ? undefined : lineCounter.linePos(e.pos[0]));
        return { file, line: pos?.line, column: pos?.col, message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const locate: Locate = (path, opts = {}) => {
    let node: unknown = doc.contents;
    let found: Node | undefined = doc.contents ?? undefined;
    for (const [i, key] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        const value = pair.value;
        // A block mapping or list starts at its first entry, a line below its key: that line is
        // someone else's, so a problem with the whole value (or a key missing from it) points at
        // its key. Flow values (`{ … }`, `[ … ]`) and scalars start on the key's line.
        const atKey = (opts.key && i === path.length - 1) || !isNode(value) || (isCollection(value) && !value.flow);
        found = atKey && isNode(pair.key) ? pair.key : isNode(value) ? value : found;
        node = value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key];
        if (!isNode(item)) break;
        found = item;
        node = item;
      } else break;
    }
    const offset = found?.range?.[0];
    if (offset === undefined) return {};
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  return { file, data: doc.toJS({ maxAliasCount: 100 }) ?? {}, locate };
}

export function loadYamlFile(file: string, what: string): YamlSource {
  return parseYamlText(file, readTextFile(file, what));
}

export function dottedPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** Validate parsed YAML against a zod schema, reporting *every* issue with file:line:col and key path. */
export function validateYaml<S extends z.ZodType>(src: YamlSource, schema: S, keyPrefix: PropertyKey[] = []): z.output<S> {
  const res = schema.safeParse(src.data);
  if (res.success) return res.data;
  const issues: InputIssue[] = schemaIssues(res.error, keyPrefix).map((iss) => (
    { file: src.file, ...src.locate(iss.path, { key: iss.atKey }), path: dottedPath(iss.path) || '(root)', message: iss.message }));
  throw new InputError(issues);
}
