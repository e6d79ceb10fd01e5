/**
 * Snippets for the contentless search index: the matched terms are found again in the
 * stored text with the tokenizer's rules (unicode61: runs of letters and digits, case and
 * diacritics folded), and a window of words around the first match is cut out.
 */
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../shared/domain';
import { matchTokens, tokenize, type QueryTerm } from '../../shared/queryTerms';

export type { QueryTerm } from '../../shared/queryTerms';
export { fold, parseQuery } from '../../shared/queryTerms';

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
