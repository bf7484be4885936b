import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError, type InputIssue } from '../errors.js';

/** A parsed YAML file that can tell where any key path came from. */
export interface YamlSource {
  file: string;
  data: unknown;
  locate(path: ReadonlyArray<PropertyKey>): { line?: number; column?: number };
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
  const locate = (path: ReadonlyArray<PropertyKey>) => {
    // Walk as deep as the path exists so a missing key points at its parent mapping.
    let node: unknown = doc.contents;
    let found: Node | undefined = doc.contents ?? undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        found = (pair.value as Node | null) ?? (pair.key as Node);
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as Node | undefined;
        if (!item) break;
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
  const issues: InputIssue[] = res.error.issues.map((iss) => {
    const path = [...keyPrefix, ...iss.path];
    return { file: src.file, ...src.locate(path), path: dottedPath(path) || '(root)', message: iss.message };
  });
  throw new InputError(issues);
}
