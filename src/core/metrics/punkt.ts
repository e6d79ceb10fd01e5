/**
 * NLTK's Punkt sentence tokenizer (`PunktTokenizer('english').tokenize(text)`,
 * nltk 3.9+/3.10 with the `punkt_tab` data), which `word_tokenize` runs before
 * the Treebank word tokenizer and so decides where periods split off words.
 *
 * Only the tokenizer is ported (Kiss & Strunk's first and second annotation
 * passes, the orthographic, collocation and sentence-starter heuristics, the
 * candidate-context scan and the boundary realignment), not the trainer: the
 * trained English parameters are data files that NLTK users download
 * (`nltk.download('punkt_tab')`). Their licence is unclear, so the app does not
 * ship them; {@link punktModel} reads them from NLTK's own search path, and
 * callers fall back to an approximation where they are absent.
 *
 * Offsets are UTF-16 here and code points in Python; every offset comes from a
 * match on the same string (and every regex is Unicode-aware), so the slices
 * are the same.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PY_WS_CLASS, pyLower } from './pyString';

export interface PunktParameters {
  abbrevTypes: ReadonlySet<string>;
  /** `${a}\t${b}` for each collocation (a, b). */
  collocations: ReadonlySet<string>;
  sentStarters: ReadonlySet<string>;
  orthoContext: ReadonlyMap<string, number>;
}

export interface PunktModel {
  /** The folder the parameters were read from (…/tokenizers/punkt_tab/english). */
  dir: string;
  params: PunktParameters;
}

const FILES = ['abbrev_types.txt', 'collocations.tab', 'sent_starters.txt', 'ortho_context.tab'] as const;
const LANG_DIR = join('tokenizers', 'punkt_tab', 'english');

/**
 * NLTK's `nltk.data.path` on this machine, less the entries tied to a Python
 * prefix: `$NLTK_DATA` (path-separated), `~/nltk_data`, then the system folders.
 */
export function nltkDataPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = homedir();
  const expand = (p: string): string => (p === '~' ? home : p.startsWith('~/') || p.startsWith('~\\') ? join(home, p.slice(2)) : p);
  const out = (env.NLTK_DATA ?? '')
    .split(delimiter)
    .filter((p) => p.length > 0)
    .map(expand);
  out.push(join(home, 'nltk_data'));
  if (process.platform === 'win32') {
    out.push(join(env.APPDATA ?? 'C:\\', 'nltk_data'), 'C:\\nltk_data', 'D:\\nltk_data', 'E:\\nltk_data');
  } else {
    out.push('/usr/share/nltk_data', '/usr/local/share/nltk_data', '/usr/lib/nltk_data', '/usr/local/lib/nltk_data');
  }
  return out;
}

/** The lines of a punkt_tab file as NLTK's TabDecoder reads them (one trailing newline dropped per line). */
function lines(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
  const ls = text.split('\n');
  if (ls.length > 0 && ls[ls.length - 1] === '') ls.pop();
  return ls;
}

/** Reads the four parameter files of one `punkt_tab/english` folder; throws naming the file and line on a bad entry. */
export function readPunktParameters(dir: string): PunktParameters {
  const [abbrevFile, collocFile, startersFile, orthoFile] = FILES.map((f) => join(dir, f)) as [string, string, string, string];
  const collocations = new Set<string>();
  lines(collocFile).forEach((l, i) => {
    const parts = l.split('\t');
    if (parts.length !== 2) throw new Error(`${collocFile}:${i + 1}: expected two tab-separated words`);
    collocations.add(l);
  });
  const orthoContext = new Map<string, number>();
  lines(orthoFile).forEach((l, i) => {
    const parts = l.split('\t');
    const n = parts.length === 2 ? Number(parts[1]) : NaN;
    if (!Number.isInteger(n)) throw new Error(`${orthoFile}:${i + 1}: expected a word, a tab and an integer`);
    orthoContext.set(parts[0]!, n);
  });
  return { abbrevTypes: new Set(lines(abbrevFile)), collocations, sentStarters: new Set(lines(startersFile)), orthoContext };
}

let cached: { key: string; model: PunktModel | null } | null = null;

/**
 * The English Punkt model from the first NLTK data folder that has all four
 * files, or null. Cached per search path, so setting NLTK_DATA takes effect.
 */
export function punktModel(): PunktModel | null {
  const paths = nltkDataPaths();
  const key = paths.join('\0');
  if (cached !== null && cached.key === key) return cached.model;
  let model: PunktModel | null = null;
  for (const base of paths) {
    const dir = join(base, LANG_DIR);
    if (FILES.every((f) => existsSync(join(dir, f)))) {
      model = { dir, params: readPunktParameters(dir) };
      break;
    }
  }
  cached = { key, model };
  return model;
}

// ------------------------------------------------------------ PunktLanguageVars

const S = PY_WS_CLASS;
/** `_re_non_word_chars` (3.10: curly quotes and guillemets included), sent_end_chars minus '.'. */
const NON_WORD = `[)";}\\]*:@'({[\\u2018\\u2019\\u201c\\u201d\\xab\\xbb?!]`;
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.[${S}]){2,}\\.)`;
const WORD_START = `[^("\`{\\[:;&#*@)}\\]\\-,]`;
const WORD_TOKENIZER = new RegExp(
  `${MULTI_CHAR}|(?=${WORD_START})[^${S}]+?(?=[${S}]|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|[${S}]|${NON_WORD}|${MULTI_CHAR}))|[^${S}]`,
  'gu',
);
const PERIOD_CONTEXT = new RegExp(`[.?!](?=(${NON_WORD}|[${S}]+([^${S}]+)))`, 'gu');
const BOUNDARY_REALIGNMENT = new RegExp(`["')\\]}\\u2018\\u2019\\u201c\\u201d\\xab\\xbb]+?(?:[${S}]+|(?=--)|$)`, 'muy'); // sticky: re.match
const WS_RUN_END = new RegExp(`[${S}]+$`, 'u');
const NOT_ONLY_WS = new RegExp(`[^${S}]`, 'u');

const RE_NUMERIC = /^-?[.,]?\p{Nd}[\p{Nd},.-]*\.?$/u;
const RE_INITIAL = /^[\p{L}\p{Nl}\p{No}_]\.$/u;
const RE_ELLIPSIS = /^\.\.+$/;
const FIRST_UPPER = /^\p{Uppercase}/u;
const FIRST_LOWER = /^\p{Lowercase}/u;

const ORTHO_BEG_UC = 1 << 1;
const ORTHO_MID_UC = 1 << 2;
const ORTHO_UNK_UC = 1 << 3;
const ORTHO_BEG_LC = 1 << 4;
const ORTHO_MID_LC = 1 << 5;
const ORTHO_UNK_LC = 1 << 6;
const ORTHO_UC = ORTHO_BEG_UC + ORTHO_MID_UC + ORTHO_UNK_UC;
const ORTHO_LC = ORTHO_BEG_LC + ORTHO_MID_LC + ORTHO_UNK_LC;

const PUNCTUATION = new Set([';', ':', ',', '.', '!', '?']);

interface Token {
  tok: string;
  type: string;
  periodFinal: boolean;
  sentbreak: boolean;
  abbr: boolean;
  ellipsis: boolean;
}

function makeToken(tok: string): Token {
  const lower = pyLower(tok);
  return { tok, type: RE_NUMERIC.test(lower) ? '##number##' : lower, periodFinal: tok.endsWith('.'), sentbreak: false, abbr: false, ellipsis: false };
}

function typeNoPeriod(t: Token): string {
  return t.type.length > 1 && t.type.endsWith('.') ? t.type.slice(0, -1) : t.type;
}

function typeNoSentperiod(t: Token): string {
  return t.sentbreak ? typeNoPeriod(t) : t.type;
}

/** `_tokenize_words`: the Punkt word regex over each non-blank line (linestart/parastart are unused by the tokenizer). */
function tokenizeWords(text: string): Token[] {
  const out: Token[] = [];
  for (const line of text.split('\n')) {
    if (!NOT_ONLY_WS.test(line)) continue;
    WORD_TOKENIZER.lastIndex = 0;
    for (const m of line.matchAll(WORD_TOKENIZER)) out.push(makeToken(m[0]));
  }
  return out;
}

function firstPass(p: PunktParameters, t: Token): void {
  const tok = t.tok;
  if (tok === '.' || tok === '?' || tok === '!') t.sentbreak = true;
  else if (RE_ELLIPSIS.test(tok)) t.ellipsis = true;
  else if (t.periodFinal && !tok.endsWith('..')) {
    const stem = pyLower(tok.slice(0, -1));
    const parts = stem.split('-');
    if (p.abbrevTypes.has(stem) || p.abbrevTypes.has(parts[parts.length - 1]!)) t.abbr = true;
    else t.sentbreak = true;
  }
}

function orthoHeuristic(p: PunktParameters, t: Token): boolean | 'unknown' {
  if (PUNCTUATION.has(t.tok)) return false;
  const ctx = p.orthoContext.get(typeNoSentperiod(t)) ?? 0;
  if (FIRST_UPPER.test(t.tok) && ctx & ORTHO_LC && !(ctx & ORTHO_MID_UC)) return true;
  if (FIRST_LOWER.test(t.tok) && (ctx & ORTHO_UC || !(ctx & ORTHO_BEG_LC))) return false;
  return 'unknown';
}

function secondPass(p: PunktParameters, t1: Token, t2: Token | undefined): void {
  if (t2 === undefined || !t1.periodFinal) return;
  const typ = typeNoPeriod(t1);
  const nextTyp = typeNoSentperiod(t2);
  const isInitial = RE_INITIAL.test(t1.tok);
  if (p.collocations.has(`${typ}\t${nextTyp}`)) {
    t1.sentbreak = false;
    t1.abbr = true;
    return;
  }
  if ((t1.abbr || t1.ellipsis) && !isInitial) {
    if (orthoHeuristic(p, t2) === true) {
      t1.sentbreak = true;
      return;
    }
    if (FIRST_UPPER.test(t2.tok) && p.sentStarters.has(nextTyp)) {
      t1.sentbreak = true;
      return;
    }
  }
  if (isInitial || typ === '##number##') {
    const starter = orthoHeuristic(p, t2);
    if (starter === false) {
      t1.sentbreak = false;
      t1.abbr = true;
      return;
    }
    if (starter === 'unknown' && isInitial && FIRST_UPPER.test(t2.tok) && !((p.orthoContext.get(nextTyp) ?? 0) & ORTHO_LC)) {
      t1.sentbreak = false;
      t1.abbr = true;
    }
  }
}

/** `text_contains_sentbreak`: some token other than the last is a sentence break after both passes. */
function containsSentbreak(p: PunktParameters, text: string): boolean {
  const toks = tokenizeWords(text);
  for (const t of toks) firstPass(p, t);
  // the second pass of token i reads token i+1 as the first pass left it,
  // except for its sentbreak, which the pass over i+1 may change later: NLTK
  // annotates lazily in order, so i+1 is still first-pass-only when i is done
  for (let i = 0; i < toks.length - 1; i++) {
    secondPass(p, toks[i]!, toks[i + 1]);
    if (toks[i]!.sentbreak) return true;
  }
  return false;
}

/** ASCII whitespace as Python's `string.whitespace`. */
function isAsciiWs(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function lastWhitespaceIndex(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (isAsciiWs(text.charCodeAt(i))) return i - from;
  return 0;
}

interface Candidate {
  start: number;
  end: number;
  afterTok: string;
  nextTokStart: number | null;
}

/** `_slices_from_text`: [start, stop) of each sentence before realignment. */
function slicesFromText(p: PunktParameters, text: string): [number, number][] {
  const out: [number, number][] = [];
  let lastBreak = 0;
  const take = (m: Candidate, prevStart: number, prevStop: number): void => {
    const context = text.slice(prevStart, prevStop) + text[m.start] + m.afterTok;
    if (containsSentbreak(p, context)) {
      out.push([lastBreak, m.end]);
      lastBreak = m.nextTokStart ?? m.end;
    }
  };
  // _match_potential_end_contexts
  let prevStart = 0;
  let prevStop = 0;
  let prev: Candidate | null = null;
  PERIOD_CONTEXT.lastIndex = 0;
  for (const m of text.matchAll(PERIOD_CONTEXT)) {
    const afterTok = m[1]!;
    const nextTok = m[2];
    const c: Candidate = {
      start: m.index,
      end: m.index + 1,
      afterTok,
      nextTokStart: nextTok === undefined ? null : m.index + 1 + afterTok.length - nextTok.length,
    };
    let idx = lastWhitespaceIndex(text, prevStop, c.start);
    if (idx !== 0) idx += prevStop + 1;
    else idx = prevStart;
    if (prev !== null && prevStop <= idx) take(prev, prevStart, prevStop);
    prev = c;
    prevStart = idx;
    prevStop = c.start;
  }
  if (prev !== null) take(prev, prevStart, prevStop);
  out.push([lastBreak, rstripLength(text)]);
  return out;
}

/** `len(text.rstrip())` (Python whitespace), without copying the text. */
function rstripLength(text: string): number {
  let n = text.length;
  while (n > 0 && PY_WS.has(text.charCodeAt(n - 1))) n--;
  return n;
}
const PY_WS_ONE = new RegExp(`^[${S}]$`, 'u');
/** UTF-16 units that are Python whitespace (all of them are below U+3001). */
const PY_WS = new Set(Array.from({ length: 0x3001 }, (_, c) => c).filter((c) => PY_WS_ONE.test(String.fromCharCode(c))));
const SENT_END_CHAR = /[.?!]/;

/** `PunktSentenceTokenizer.tokenize(text)` (realign_boundaries=True) with `params`. */
export function punktSentences(params: PunktParameters, text: string): string[] {
  if (!SENT_END_CHAR.test(text)) {
    // no candidate boundary: the one slice (0, len(text.rstrip()))
    const n = rstripLength(text);
    return n > 0 ? [text.slice(0, n)] : [];
  }
  const slices = slicesFromText(params, text);
  const out: string[] = [];
  let realign = 0;
  for (let i = 0; i < slices.length; i++) {
    const s1: [number, number] = [slices[i]![0] + realign, slices[i]![1]];
    const s2 = slices[i + 1];
    const sent1 = s1[0] < s1[1] ? text.slice(s1[0], s1[1]) : '';
    if (s2 === undefined) {
      if (sent1.length > 0) out.push(sent1);
      continue;
    }
    BOUNDARY_REALIGNMENT.lastIndex = 0;
    const m = BOUNDARY_REALIGNMENT.exec(s2[0] < s2[1] ? text.slice(s2[0], s2[1]) : '');
    if (m !== null) {
      out.push(text.slice(s1[0], s2[0] + m[0].replace(WS_RUN_END, '').length));
      realign = m[0].length;
    } else {
      realign = 0;
      if (sent1.length > 0) out.push(sent1);
    }
  }
  return out;
}
