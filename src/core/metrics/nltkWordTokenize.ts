/**
 * NLTK `word_tokenize(text)` (language='english', preserve_line=False):
 * Punkt sentence splitting followed by NLTK's improved Treebank word tokenizer
 * (`NLTKWordTokenizer`) on each sentence. The Treebank rules are ported with
 * Python 3 `re` semantics (Unicode \w, \d, \s, \b).
 *
 * The trained English Punkt model is data, not code, and is not available
 * here, so {@link splitSentences} approximates it (see docs/METRICS.md): a
 * sentence ends after '.', '?' or '!' (plus closing quotes/brackets) followed by
 * whitespace, unless the word before the period is a known abbreviation or a
 * single letter, or the next word starts with a lower-case letter or digit
 * after an abbreviation-like token.
 */
import { PY_WS_CLASS, PY_WORD_CLASS, pySplit, isAsciiWs } from './pyString';

const W = PY_WORD_CLASS;
const S = PY_WS_CLASS;

type Sub = readonly [RegExp, string];

const STARTING_QUOTES: readonly Sub[] = [
  [/([«“‘„]|[`]+)/gu, ' $1 '],
  [/^"/u, '``'],
  [/(``)/gu, ' $1 '],
  [/([ ([{<])("|'{2})/gu, '$1 `` '],
  [new RegExp(`(?<![${W}])(')(?!(?:re|ve|ll|m|t|s|d|n)(?![${W}]))(?=[${W}])`, 'giu'), '$1 '],
];

const PUNCTUATION: readonly Sub[] = [
  [new RegExp(`([^.])(\\.)([\\])}>"'»”’ ]*)[${S}]*$`, 'u'), '$1 $2 $3 '],
  [/([:,])([^\p{Nd}])/gu, ' $1 $2'],
  [/([:,])(?=\n?$)/u, ' $1 '],
  [/\.{2,}/gu, ' $& '],
  [/[;@#$%&]/gu, ' $& '],
  [/[\u2012-\u2015]/gu, ' $& '],
  [new RegExp(`([^.])(\\.)([\\])}>"']*)[${S}]*$`, 'u'), '$1 $2$3 '],
  [/[?!]/gu, ' $& '],
  [/([^'])' /gu, "$1 ' "],
  [/[*]/gu, ' $& '],
];

const PARENS_BRACKETS: Sub = [/[\][(){}<>]/gu, ' $& '];
const DOUBLE_DASHES: Sub = [/--/gu, ' -- '];

const ENDING_QUOTES: readonly Sub[] = [
  [/([»”’])/gu, ' $1 '],
  [/''/gu, " '' "],
  [/"/gu, " '' "],
  [new RegExp(`[${S}]+`, 'gu'), ' '],
  [/([^' ])('[sS]|'[mM]|'[dD]|') /gu, '$1 $2 '],
  [/([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) /gu, '$1 $2 '],
];

const B = `(?<![${W}])`;
const E = `(?![${W}])`;
const CONTRACTIONS: readonly Sub[] = [
  [new RegExp(`${B}(can)(not)${E}`, 'giu'), ' $1 $2 '],
  [new RegExp(`${B}(d)('ye)${E}`, 'giu'), ' $1 $2 '],
  [new RegExp(`${B}(gim)(me)${E}`, 'giu'), ' $1 $2 '],
  [new RegExp(`${B}(gon)(na)${E}`, 'giu'), ' $1 $2 '],
  [new RegExp(`${B}(got)(ta)${E}`, 'giu'), ' $1 $2 '],
  [new RegExp(`${B}(lem)(me)${E}`, 'giu'), ' $1 $2 '],
  [new RegExp(`${B}(more)('n)${E}`, 'giu'), ' $1 $2 '],
  [new RegExp(`${B}(wan)(na)(?=[${S}])`, 'giu'), ' $1 $2 '],
  [new RegExp(` ('t)(is)${E}`, 'giu'), ' $1 $2 '],
  [new RegExp(` ('t)(was)${E}`, 'giu'), ' $1 $2 '],
];

// Cheap guards: a rule is skipped when none of its trigger characters occurs
// (so it could not match), which keeps the ~30 passes affordable.
const QUOTEISH = /[«“‘„`"'»”’]/u;
const CONTRACTION_HINT = /can|d'|gim|gon|got|lem|more'|wan|'t/i;
const PUNCT_GUARDS: readonly (RegExp | null)[] = [/\./, /[:,]/, /[:,]/, /\.\./, /[;@#$%&]/, /[\u2012-\u2015]/, /\./, /[?!]/, /'/, /[*]/];
const PARENS_GUARD = /[\][(){}<>]/;
const ENDING_GUARDS: readonly (RegExp | null)[] = [/[»”’]/u, /''/, /"/, null, /'/, /'/];
const ASCII_WS_COLLAPSE: Sub = [/\s+/g, ' '];

/** NLTKWordTokenizer().tokenize(sentence) (convert_parentheses=False). */
export function treebankTokenize(sentence: string): string[] {
  let text = sentence;
  if (QUOTEISH.test(text)) for (const [re, sub] of STARTING_QUOTES) text = text.replace(re, sub);
  for (let k = 0; k < PUNCTUATION.length; k++) {
    const g = PUNCT_GUARDS[k];
    if (g && !g.test(text)) continue;
    const [re, sub] = PUNCTUATION[k]!;
    text = text.replace(re, sub);
  }
  if (PARENS_GUARD.test(text)) text = text.replace(PARENS_BRACKETS[0], PARENS_BRACKETS[1]);
  if (text.includes('--')) text = text.replace(DOUBLE_DASHES[0], DOUBLE_DASHES[1]);
  text = ' ' + text + ' ';
  const ascii = isAsciiWs(text);
  for (let k = 0; k < ENDING_QUOTES.length; k++) {
    const g = ENDING_GUARDS[k];
    if (g && !g.test(text)) continue;
    const [re, sub] = k === 3 && ascii ? ASCII_WS_COLLAPSE : ENDING_QUOTES[k]!;
    text = text.replace(re, sub);
  }
  if (CONTRACTION_HINT.test(text)) for (const [re, sub] of CONTRACTIONS) text = text.replace(re, sub);
  return pySplit(text);
}

/** Common English abbreviations that Punkt's English model does not end sentences on. */
const ABBREVIATIONS = new Set([
  'dr', 'mr', 'mrs', 'ms', 'prof', 'sr', 'jr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'fig', 'figs', 'al', 'approx', 'no',
  'vol', 'inc', 'ltd', 'co', 'corp', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov',
  'dec', 'u.s', 'u.k', 'ph.d', 'mg', 'ml', 'min', 'max', 'resp', 'ref', 'refs', 'eq', 'eqs', 'cf', 'ca', 'viz',
]);

const BOUNDARY = new RegExp(`([.?!]+)(["')\\]}»”’]*)([${S}]+)(?=(\\S))`, 'gu');

/** Approximation of Punkt's English sentence splitting (see module doc). */
export function splitSentences(text: string): string[] {
  if (!/[.?!]/.test(text)) {
    const t = text.trim();
    return t.length > 0 ? [t] : [];
  }
  const out: string[] = [];
  let start = 0;
  BOUNDARY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BOUNDARY.exec(text)) !== null) {
    const punct = m[1]!;
    const endOfSentence = m.index + punct.length + m[2]!.length;
    const next = m[4]!;
    if (punct === '.' && m[2] === '') {
      const before = text.slice(start, m.index);
      const wm = /(\S+)$/u.exec(before);
      const word = (wm?.[1] ?? '').toLowerCase().replace(/^[("'[{]+/u, '');
      const isAbbrev = ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word);
      if (isAbbrev) continue;
      if (/^\p{Ll}/u.test(next) && /^\p{Nd}+$/u.test(word)) continue;
    }
    const sent = text.slice(start, endOfSentence).trim();
    if (sent.length > 0) out.push(sent);
    start = m.index + m[0].length;
  }
  const tail = text.slice(start).trim();
  if (tail.length > 0) out.push(tail);
  return out;
}

const PLAIN_END = /(?:[^.]\.|[?!])$/u;
const QUOTE_START = /^[«“‘„`"'»”’]/u;

/**
 * Per-sentence Treebank tokenisation, exactly as `word_tokenize` does it.
 */
export function wordTokenizeSentences(sents: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of sents) for (const t of treebankTokenize(s)) out.push(t);
  return out;
}

/**
 * `nltk.word_tokenize(text)` with the approximate sentence splitter.
 *
 * Fast path: when every sentence but the last ends in a plain '.', '?' or '!'
 * and no later sentence starts with a quote, tokenising the sentences one by
 * one equals tokenising them joined by spaces once the sentence-final periods
 * are split off (the only sentence-anchored Treebank rule that fires there);
 * the test suite checks this equivalence on real texts.
 */
export function wordTokenize(text: string, preserveLine = false): string[] {
  if (preserveLine) return treebankTokenize(text);
  const sents = splitSentences(text);
  if (sents.length === 1) return treebankTokenize(sents[0]!);
  const last = sents.length - 1;
  let plain = true;
  for (let i = 0; i < sents.length && plain; i++) {
    const s = sents[i]!;
    if (i < last && !PLAIN_END.test(s)) plain = false;
    else if (i > 0 && QUOTE_START.test(s)) plain = false;
  }
  if (!plain) return wordTokenizeSentences(sents);
  let joined = '';
  for (let i = 0; i <= last; i++) {
    const s = sents[i]!;
    if (i < last && s.charCodeAt(s.length - 1) === 46) joined += s.slice(0, -1) + ' . ';
    else joined += s + ' ';
  }
  return treebankTokenize(joined);
}
