/**
 * A Hugging Face dataset card's front matter: its `configs:` section says which file holds
 * which config and split. Parsed with the `yaml` package (cards use multi-line strings,
 * anchors and flow maps that a hand-written subset skipped), with alias expansion bounded so
 * a hostile card cannot blow up memory.
 */
import { parse as parseYamlText, YAMLParseError } from 'yaml';
import { ImportError } from './types';

export type YamlValue = string | number | boolean | null | YamlValue[] | { [k: string]: YamlValue };

/** Cards are small; anything larger is not a card we should spend time on. */
const MAX_FRONT_MATTER = 1024 * 1024;

/** YAML text to plain values (YAML 1.2 core schema, at most 100 alias expansions). */
export function parseYaml(src: string): YamlValue {
  return (parseYamlText(src, { maxAliasCount: 100, uniqueKeys: false, prettyErrors: true }) ?? null) as YamlValue;
}

/**
 * The YAML front matter of a Markdown file (between the leading `---` lines), or null.
 * A card whose front matter does not parse is an error only when it declares `configs:`
 * (the import depends on it then); any other card is left alone.
 */
export function frontMatter(markdown: string, file = 'README.md'): YamlValue {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(markdown);
  if (!m || m[1]!.length > MAX_FRONT_MATTER) return null;
  try {
    return parseYaml(m[1]!);
  } catch (err) {
    if (!/^configs\s*:/m.test(m[1]!)) return null;
    // +1: the opening `---` line comes before the YAML text.
    const line = err instanceof YAMLParseError && err.linePos ? err.linePos[0].line + 1 : undefined;
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ImportError(`${file}${line ? `: line ${line}` : ''}: the dataset card's front matter is not valid YAML (${reason})`, file, { line });
  }
}

export interface HubConfigFiles {
  config: string;
  split: string;
  /** Paths or glob patterns, relative to the dataset root. */
  patterns: string[];
}

/** `configs:` of a Hub dataset card -> one entry per (config, split). */
export function hubConfigs(markdown: string, file?: string): HubConfigFiles[] {
  const fm = frontMatter(markdown, file);
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
