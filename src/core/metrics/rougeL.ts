/**
 * ROUGE-L F-measure, two incompatible reference implementations:
 *
 * - {@link rougeScoreL}: Google `rouge_score` (via Hugging Face's `rouge`
 *   metric, `use_stemmer=True`), as MedINST32's evaluation.py calls it
 *   (one score per pair, averaged over the corpus by the caller).
 * - {@link pyRougeL}: the pltrdy `rouge` package (`Rouge().get_scores(hyp,
 *   ref)[0]['rouge-l']['f']`), as MedS-Bench's Metrics/utils.py calls it.
 */
import { CachedStemmer } from './porter';
import { TokenInterner, lcsLengthBits, unionMarkReconLcs } from './lcs';
import { SpanInterner } from './spanInterner';
import { pySplit, PY_WS_CLASS } from './pyString';
import { assertSameLength, pyMeanOf } from './aggregate';

const stemmer = new CachedStemmer();
const ALNUM_RUN = /[a-z0-9]+/g;

/** rouge_score's DefaultTokenizer(use_stemmer): lower, [^a-z0-9]+ → space, stem tokens longer than 3. */
export function rougeScoreTokenize(text: string, useStemmer = true): string[] {
  const m = text.toLowerCase().match(ALNUM_RUN);
  if (m === null) return [];
  if (useStemmer) {
    for (let i = 0; i < m.length; i++) {
      const t = m[i]!;
      if (t.length > 3) m[i] = stemmer.stem(t);
    }
  }
  return m;
}

function fmeasure(p: number, r: number): number {
  return p + r > 0 ? (2 * p * r) / (p + r) : 0;
}

const interner = new TokenInterner();

function internPair(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
  interner.reset();
  return [interner.intern(a), interner.intern(b)];
}

/** Google rouge_score ROUGE-L F for one (prediction, target) pair. */
export function rougeScoreLPair(prediction: string, target: string, useStemmer = true): number {
  const t = rougeScoreTokenize(target, useStemmer);
  const p = rougeScoreTokenize(prediction, useStemmer);
  if (t.length === 0 || p.length === 0) return 0;
  const [ti, pi] = internPair(t, p);
  const lcs = lcsLengthBits(ti, pi, interner.size);
  return fmeasure(lcs / p.length, lcs / t.length);
}

/** Corpus mean of {@link rougeScoreLPair}, as evaluation.py's `rouge` entry. */
export function rougeScoreL(preds: readonly string[], golds: readonly string[]): number {
  assertSameLength(preds, golds);
  return pyMeanOf(preds.length, (i) => rougeScoreLPair(preds[i]!, golds[i]!));
}

/** pltrdy `rouge`: split on '.', drop empty pieces, squash whitespace in each. */
const NON_SPACE_WS = new RegExp(`[${PY_WS_CLASS.replace(' ', '')}]|  |^ | $`, 'u');

export function pyRougeSentences(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split('.')) {
    if (piece.length === 0) continue;
    // fast path: already single-space separated
    out.push(NON_SPACE_WS.test(piece) ? pySplit(piece).join(' ') : piece);
  }
  return out;
}

let mark = new Uint8Array(1024);

/** Python `str.isspace()` for one UTF-16 unit (all such characters are in the BMP). */
export function isPyWsCode(c: number): boolean {
  if (c > 32 && c < 0x85) return false; // fast path: printable ASCII
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    (c >= 0x1c && c <= 0x1f) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

// Token ids of both sides of the current pair and their sentence boundaries;
// reused across calls so a pair allocates nothing (no pieces, no token strings).
const spans = new SpanInterner();
let tokIds = new Int32Array(1024);
let nTok = 0;

function pushTok(id: number): void {
  if (nTok === tokIds.length) {
    const b = new Int32Array(tokIds.length * 2);
    b.set(tokIds);
    tokIds = b;
  }
  tokIds[nTok++] = id;
}

/**
 * One pass over `text` doing what pltrdy does with
 * `[" ".join(s.split()) for s in text.split(".") if len(s) > 0]` followed by
 * `s.split(" ")` per sentence: pieces between '.' that are non-empty become
 * sentences of their whitespace-separated words; an all-whitespace piece
 * becomes the sentence [""] (`"".split(" ")`). Token ids go to `tokIds`;
 * sentence start offsets go to `off` from index 0, with the end offset
 * after the last. Returns the sentence count.
 */
function internSentences(text: string, off: Int32Array<ArrayBuffer>): { count: number; off: Int32Array<ArrayBuffer> } {
  let count = 0;
  const n = text.length;
  let p = 0;
  for (;;) {
    let q = text.indexOf('.', p);
    if (q < 0) q = n;
    if (q > p) {
      if (count + 2 > off.length) {
        const b = new Int32Array(off.length * 2);
        b.set(off);
        off = b;
      }
      off[count++] = nTok;
      let k = p;
      const before = nTok;
      while (k < q) {
        while (k < q && isPyWsCode(text.charCodeAt(k))) k++;
        if (k >= q) break;
        let e = k + 1;
        while (e < q && !isPyWsCode(text.charCodeAt(e))) e++;
        pushTok(spans.intern(text, k, e));
        k = e;
      }
      if (nTok === before) pushTok(spans.intern(text, p, p)); // the "" token
    }
    if (q >= n) break;
    p = q + 1;
  }
  off[count] = nTok;
  return { count, off };
}

let hypOff = new Int32Array(64);
let refOff = new Int32Array(64);

/**
 * pltrdy `rouge` ROUGE-L (summary level, `exclusive=True`) F for one pair.
 * m/n are the numbers of *distinct* words of reference/hypothesis and the hit
 * count is the size of the union of the (set-valued) LCSs of every
 * (reference sentence, hypothesis sentence) pair. Returns `null` where the
 * package raises ValueError (a side with no sentence, e.g. "" or "...").
 */
export function pyRougeLPairOrNull(hypothesis: string, reference: string): number | null {
  spans.reset();
  nTok = 0;
  const h = internSentences(hypothesis, hypOff);
  hypOff = h.off;
  const hypEnd = nTok;
  const r = internSentences(reference, refOff);
  refOff = r.off;
  if (h.count === 0 || r.count === 0) return null;
  const alphabet = spans.size;
  if (mark.length < alphabet) mark = new Uint8Array(alphabet * 2);
  const ids = tokIds;
  // distinct words per side
  mark.fill(0, 0, alphabet);
  let hypDistinct = 0;
  for (let k = 0; k < hypEnd; k++)
    if (mark[ids[k]!] === 0) {
      mark[ids[k]!] = 1;
      hypDistinct++;
    }
  mark.fill(0, 0, alphabet);
  let refDistinct = 0;
  for (let k = hypEnd; k < nTok; k++)
    if (mark[ids[k]!] === 0) {
      mark[ids[k]!] = 1;
      refDistinct++;
    }
  mark.fill(0, 0, alphabet);
  // rows = reference sentences, columns = hypothesis sentences, as _recon_lcs(ref_words, eval_words)
  const llcs = unionMarkReconLcs(ids, refOff, r.count, hypOff, h.count, alphabet, mark);
  const rLcs = llcs / refDistinct;
  const pLcs = llcs / hypDistinct;
  return 2.0 * ((pLcs * rLcs) / (pLcs + rLcs + 1e-8));
}

/** {@link pyRougeLPairOrNull} with 0 where the package would raise. */
export function pyRougeLPair(hypothesis: string, reference: string): number {
  return pyRougeLPairOrNull(hypothesis, reference) ?? 0;
}

/** Mean of pltrdy ROUGE-L F over pairs (×1, not ×100). */
export function pyRougeL(preds: readonly string[], golds: readonly string[]): number {
  assertSameLength(preds, golds);
  return pyMeanOf(preds.length, (i) => pyRougeLPair(preds[i]!, golds[i]!));
}
