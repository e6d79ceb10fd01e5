/**
 * A tiny YAML subset parser, enough for a Hugging Face dataset card's front matter:
 * block maps, block lists (`- ` items, including `- key: value` maps), plain / quoted
 * scalars, flow lists `[a, b]`, comments. Anchors, multi-line strings and tags are not supported
 * (multi-line scalars are skipped as best it can).
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [k: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
}

function stripComment(s: string): string {
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === q) q = null;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) return s.slice(0, i);
  }
  return s;
}

function scalar(raw: string): YamlValue {
  const s = raw.trim();
  if (s === '' || s === '~' || s === 'null') return null;
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith('[') && s.endsWith(']')) {
    const inner = s.slice(1, -1).trim();
    if (!inner) return [];
    return splitFlow(inner).map(scalar);
  }
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

function splitFlow(s: string): string[] {
  const out: string[] = [];
  let q: string | null = null;
  let cur = '';
  for (const c of s) {
    if (q) {
      cur += c;
      if (c === q) q = null;
    } else if (c === '"' || c === "'") {
      q = c;
      cur += c;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Splits `key: value` (colon outside quotes followed by space or end). */
function keyValue(text: string): [string, string] | null {
  let q: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === q) q = null;
    } else if ((c === '"' || c === "'") && i === 0) q = c;
    else if (c === ':' && (i + 1 === text.length || text[i + 1] === ' ')) {
      const k = scalar(text.slice(0, i));
      return [String(k), text.slice(i + 1).trim()];
    }
  }
  return null;
}

export function parseYaml(src: string): YamlValue {
  const lines: Line[] = [];
  for (const rawLine of src.split(/\r?\n/)) {
    const noComment = stripComment(rawLine).replace(/\s+$/, '');
    if (!noComment.trim()) continue;
    const indent = noComment.length - noComment.trimStart().length;
    lines.push({ indent, text: noComment.trim() });
  }
  let pos = 0;

  function parseBlock(indent: number): YamlValue {
    const first = lines[pos];
    if (!first || first.indent < indent) return null;
    if (first.text.startsWith('- ') || first.text === '-') return parseList(first.indent);
    return parseMap(first.indent);
  }

  function parseList(indent: number): YamlValue[] {
    const out: YamlValue[] = [];
    while (pos < lines.length) {
      const l = lines[pos]!;
      if (l.indent !== indent || !(l.text.startsWith('- ') || l.text === '-')) break;
      const rest = l.text === '-' ? '' : l.text.slice(2).trim();
      pos++;
      if (!rest) {
        out.push(parseBlock(indent + 1));
        continue;
      }
      const kv = keyValue(rest);
      if (kv && !rest.startsWith('[') && !rest.startsWith('"') && !rest.startsWith("'")) {
        // `- key: value` starts an inline map; its other keys sit at indent + 2
        const childIndent = indent + 2;
        lines.splice(pos, 0, { indent: childIndent, text: rest });
        out.push(parseMap(childIndent));
      } else out.push(scalar(rest));
    }
    return out;
  }

  function parseMap(indent: number): { [k: string]: YamlValue } {
    const out: { [k: string]: YamlValue } = {};
    while (pos < lines.length) {
      const l = lines[pos]!;
      if (l.indent < indent) break;
      if (l.indent > indent) {
        pos++; // continuation of a multi-line scalar: skipped
        continue;
      }
      if (l.text.startsWith('- ')) break;
      const kv = keyValue(l.text);
      pos++;
      if (!kv) continue;
      const [k, v] = kv;
      if (v === '') {
        const next = lines[pos];
        if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) out[k] = parseBlock(next.indent);
        else out[k] = null;
      } else if (v === '|' || v === '>' || v === '|-' || v === '>-') {
        const parts: string[] = [];
        while (pos < lines.length && lines[pos]!.indent > indent) parts.push(lines[pos++]!.text);
        out[k] = parts.join(v.startsWith('|') ? '\n' : ' ');
      } else out[k] = scalar(v);
    }
    return out;
  }

  return parseBlock(0);
}

/** The YAML front matter of a Markdown file (between the leading `---` lines), or null. */
export function frontMatter(markdown: string): YamlValue {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(markdown);
  if (!m) return null;
  return parseYaml(m[1]!);
}

export interface HubConfigFiles {
  config: string;
  split: string;
  /** Paths or glob patterns, relative to the dataset root. */
  patterns: string[];
}

/** `configs:` of a Hub dataset card -> one entry per (config, split). */
export function hubConfigs(markdown: string): HubConfigFiles[] {
  const fm = frontMatter(markdown);
  if (!fm || typeof fm !== 'object' || Array.isArray(fm)) return [];
  const configs = fm.configs;
  if (!Array.isArray(configs)) return [];
  const out: HubConfigFiles[] = [];
  for (const c of configs) {
    if (!c || typeof c !== 'object' || Array.isArray(c)) continue;
    const name = c.config_name;
    if (typeof name !== 'string') continue;
    const df = c.data_files;
    const asList = (v: YamlValue): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
    if (typeof df === 'string') out.push({ config: name, split: 'train', patterns: [df] });
    else if (Array.isArray(df)) {
      const plain: string[] = [];
      for (const entry of df) {
        if (typeof entry === 'string') plain.push(entry);
        else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
          const split = typeof entry.split === 'string' ? entry.split : 'train';
          out.push({ config: name, split, patterns: asList(entry.path ?? null) });
        }
      }
      if (plain.length) out.push({ config: name, split: 'train', patterns: plain });
    } else if (df && typeof df === 'object') {
      for (const [split, v] of Object.entries(df)) out.push({ config: name, split, patterns: asList(v) });
    }
  }
  return out;
}

/** Hub-style glob (`*`, `**`, `?`) -> RegExp over '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
