/**
 * Snippets for the contentless search index: the matched terms are found again in the
 * stored text with the tokenizer's rules (unicode61: runs of letters and digits, case and
 * diacritics folded), and a window of words around the first match is cut out.
 */
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../shared/domain';

export interface QueryTerm {
  /** Folded tokens that must appear in sequence (one for a plain word). */
  tokens: string[];
  /** The last token matches as a prefix. */
  prefix: boolean;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

export function fold(token: string): string {
  return token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The same reading of a query as toFtsQuery: words, "quoted phrases", trailing * for prefix. */
export function parseQuery(text: string): QueryTerm[] {
  const raw = text.match(/"[^"]*"|[^\s"]+/g) ?? [];
  const terms: QueryTerm[] = [];
  for (const t of raw) {
    const phrase = t.startsWith('"');
    const prefix = !phrase && t.length > 1 && t.endsWith('*');
    const body = phrase ? t.slice(1, -1) : prefix ? t.slice(0, -1) : t;
    const tokens = (body.match(TOKEN) ?? []).map(fold);
    if (tokens.length) terms.push({ tokens, prefix });
  }
  return terms;
}

interface Tok {
  start: number;
  end: number;
  folded: string;
}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  for (const m of text.matchAll(TOKEN)) out.push({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) });
  return out;
}

/** Marks every occurrence of every term; returns the indices of matched tokens. */
function matchTokens(toks: Tok[], terms: QueryTerm[]): Set<number> {
  const hit = new Set<number>();
  for (const term of terms) {
    const n = term.tokens.length;
    for (let i = 0; i + n <= toks.length; i++) {
      let ok = true;
      for (let k = 0; k < n && ok; k++) {
        const want = term.tokens[k]!;
        const got = toks[i + k]!.folded;
        ok = term.prefix && k === n - 1 ? got.startsWith(want) : got === want;
      }
      if (ok) for (let k = 0; k < n; k++) hit.add(i + k);
    }
  }
  return hit;
}

/** A snippet of about `words` tokens around the first match, or null when nothing matches. */
export function snippet(text: string, terms: QueryTerm[], words = 24): string | null {
  const toks = tokenize(text);
  const hit = matchTokens(toks, terms);
  if (hit.size === 0) return null;
  const first = Math.min(...hit);
  const from = Math.max(0, first - Math.floor(words / 4));
  const to = Math.min(toks.length, from + words);
  const startChar = from === 0 ? 0 : toks[from]!.start;
  const endChar = to === toks.length ? text.length : toks[to - 1]!.end;
  let out = from === 0 ? '' : '…';
  let cursor = startChar;
  for (let i = from; i < to; i++) {
    if (!hit.has(i)) continue;
    const t = toks[i]!;
    out += text.slice(cursor, t.start) + HIGHLIGHT_START + text.slice(t.start, t.end) + HIGHLIGHT_END;
    cursor = t.end;
  }
  out += text.slice(cursor, endChar) + (to === toks.length ? '' : '…');
  return out;
}
