/**
 * How a search query is read into terms and found again in a text, with the index's tokenizer
 * rules (unicode61: runs of letters and digits, case and diacritics folded). Shared so the engine's
 * snippets and the item view's highlights of a full item mark the same words.
 */

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

/** Words, "quoted phrases", trailing * for prefix: the reading of toFtsQuery (src/core/search/query.ts). */
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

export interface TextToken {
  start: number;
  end: number;
  folded: string;
}

export function tokenize(text: string): TextToken[] {
  const out: TextToken[] = [];
  for (const m of text.matchAll(TOKEN)) out.push({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) });
  return out;
}

/** Marks every occurrence of every term; returns the indices of matched tokens. */
export function matchTokens(toks: TextToken[], terms: QueryTerm[]): Set<number> {
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

export interface MarkedRun {
  text: string;
  marked: boolean;
}

/** The whole text cut into plain and matched runs (adjacent matched words of a phrase stay separate runs). */
export function markTerms(text: string, terms: QueryTerm[]): MarkedRun[] {
  if (terms.length === 0 || text === '') return text === '' ? [] : [{ text, marked: false }];
  const toks = tokenize(text);
  const hit = matchTokens(toks, terms);
  const runs: MarkedRun[] = [];
  let cursor = 0;
  [...hit]
    .sort((a, b) => a - b)
    .forEach((i) => {
      const t = toks[i]!;
      if (t.start > cursor) runs.push({ text: text.slice(cursor, t.start), marked: false });
      runs.push({ text: text.slice(t.start, t.end), marked: true });
      cursor = t.end;
    });
  if (cursor < text.length) runs.push({ text: text.slice(cursor), marked: false });
  return runs;
}
