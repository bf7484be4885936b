/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), written from the
 * spec (prometheus.io/docs/instrumenting/exposition_formats): HELP/TYPE lines, metric and label
 * name syntax, label value escaping (\\, \", \n only), numeric values (incl. +Inf/-Inf/NaN),
 * TYPE before samples and at most once, no duplicate series, and for histograms: every series
 * has cumulative non-decreasing buckets, a +Inf bucket equal to _count, and a _sum.
 * Throws on the first violation with its line number.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  type: string;
  help?: string;
  samples: Sample[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(s: string, line: number): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`line ${line}: bad value "${s}"`);
  return Number(s);
}

function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 0;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!m) throw new Error(`line ${line}: bad label name at "${text.slice(i, i + 20)}"`);
    const name = m[0];
    if (!LABEL.test(name) || name.startsWith('__')) throw new Error(`line ${line}: reserved or invalid label name ${name}`);
    if (name in labels) throw new Error(`line ${line}: duplicate label ${name}`);
    i += name.length;
    if (text[i] !== '=' || text[i + 1] !== '"') throw new Error(`line ${line}: expected ="… after label ${name}`);
    i += 2;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Error(`line ${line}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const n = text[i + 1];
        if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else if (n === 'n') value += '\n';
        else throw new Error(`line ${line}: invalid escape \\${n ?? ''}`);
        i += 2;
        continue;
      }
      if (c === '\n') throw new Error(`line ${line}: raw newline in label value`);
      value += c;
      i++;
    }
    labels[name] = value;
    i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`line ${line}: expected , or } after label ${name}`);
  }
}

const familyOf = (sample: string, types: Map<string, string>): string => {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sample.endsWith(suffix)) {
      const base = sample.slice(0, -suffix.length);
      const t = types.get(base);
      if (t === 'histogram' || (t === 'summary' && suffix !== '_bucket')) return base;
    }
  }
  return sample;
};

export function parsePrometheusText(text: string): Map<string, Family> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, Family>();
  const types = new Map<string, string>();
  const seenSeries = new Set<string>();
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (!m) return; // plain comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!METRIC.test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
      const fam = families.get(name) ?? { name, type: 'untyped', samples: [] };
      if (kind === 'TYPE') {
        if (types.has(name)) throw new Error(`line ${line}: second TYPE for ${name}`);
        if (fam.samples.length > 0) throw new Error(`line ${line}: TYPE after samples of ${name}`);
        if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type ${rest}`);
        types.set(name, rest);
        fam.type = rest;
      } else {
        if (fam.help !== undefined) throw new Error(`line ${line}: second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest)) throw new Error(`line ${line}: invalid escape in HELP`);
        fam.help = rest;
      }
      families.set(name, fam);
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{|\s)/.exec(raw);
    if (!m) throw new Error(`line ${line}: bad sample line "${raw}"`);
    const name = m[1]!;
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest.slice(1), line));
    const parts = rest.trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2 || parts[0] === '') throw new Error(`line ${line}: expected value [timestamp]`);
    const value = parseValue(parts[0]!, line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`line ${line}: bad timestamp`);
    const famName = familyOf(name, types);
    const fam = families.get(famName) ?? { name: famName, type: 'untyped', samples: [] };
    families.set(famName, fam);
    const type = types.get(famName) ?? 'untyped';
    if ((type === 'counter' || type === 'gauge' || type === 'untyped') && name !== famName) throw new Error(`line ${line}: sample ${name} does not match family ${famName}`);
    if (type === 'counter' && !(value >= 0)) throw new Error(`line ${line}: negative counter`);
    const key = `${name}{${Object.entries(labels).sort().map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
    if (seenSeries.has(key)) throw new Error(`line ${line}: duplicate series ${key}`);
    seenSeries.add(key);
    fam.samples.push({ name, labels, value });
  });
  for (const fam of families.values()) if (fam.type === 'histogram') checkHistogram(fam);
  return families;
}

function checkHistogram(fam: Family): void {
  const series = new Map<string, { buckets: Array<[number, number]>; sum?: number; count?: number }>();
  for (const s of fam.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name === `${fam.name}_bucket`) {
      if (le === undefined) throw new Error(`${fam.name}: bucket without le`);
      entry.buckets.push([parseValue(le, 0), s.value]);
    } else if (s.name === `${fam.name}_sum`) entry.sum = s.value;
    else if (s.name === `${fam.name}_count`) entry.count = s.value;
    else throw new Error(`${fam.name}: unexpected sample ${s.name}`);
  }
  for (const [key, e] of series) {
    const sorted = [...e.buckets].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]![1] < sorted[i - 1]![1]) throw new Error(`${fam.name}${key}: buckets not cumulative`);
    const inf = sorted.find(([le]) => le === Infinity);
    if (!inf) throw new Error(`${fam.name}${key}: no +Inf bucket`);
    if (e.count === undefined || e.sum === undefined) throw new Error(`${fam.name}${key}: missing _count or _sum`);
    if (inf[1] !== e.count) throw new Error(`${fam.name}${key}: +Inf bucket ${inf[1]} != count ${e.count}`);
  }
}
