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
import { TokenInterner, lcsLengthBits, markReconLcs } from './lcs';
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

/**
 * pltrdy `rouge` ROUGE-L (summary level, `exclusive=True`) F for one pair.
 * m/n are the numbers of *distinct* words of reference/hypothesis and the hit
 * count is the size of the union of the (set-valued) LCSs of every
 * (reference sentence, hypothesis sentence) pair. Returns `null` where the
 * package raises ValueError (a side with no sentence, e.g. "" or "...").
 */
export function pyRougeLPairOrNull(hypothesis: string, reference: string): number | null {
  const hyp = pyRougeSentences(hypothesis);
  const ref = pyRougeSentences(reference);
  if (hyp.length === 0 || ref.length === 0) return null;
  interner.reset();
  const hypIds = hyp.map((s) => interner.intern(s.split(' ')));
  const refIds = ref.map((s) => interner.intern(s.split(' ')));
  const alphabet = interner.size;
  if (mark.length < alphabet) mark = new Uint8Array(alphabet * 2);
  // distinct words per side
  mark.fill(0, 0, alphabet);
  let hypDistinct = 0;
  for (const s of hypIds) for (let k = 0; k < s.length; k++) if (mark[s[k]!] === 0) { mark[s[k]!] = 1; hypDistinct++; }
  mark.fill(0, 0, alphabet);
  let refDistinct = 0;
  for (const s of refIds) for (let k = 0; k < s.length; k++) if (mark[s[k]!] === 0) { mark[s[k]!] = 1; refDistinct++; }
  mark.fill(0, 0, alphabet);
  let llcs = 0;
  for (const r of refIds) for (const h of hypIds) llcs += markReconLcs(r, h, mark);
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
