/**
 * MedS-Bench BLEU-1 (Metrics/utils.py `cal_similarity(..., metric='BLEU')`):
 * NLTK `sentence_bleu([ref_tokens], hyp_tokens, weights=(1, 0, 0, 0),
 * smoothing_function=SmoothingFunction().method1)`, averaged over pairs by the
 * category scripts. Tokens: `word_tokenize` for en/fr/es/ru (Punkt + Treebank),
 * jieba (zh) or janome (ja), reproduced in cjkTokenize.ts.
 *
 * With weights (1,0,0,0) and method1 the value is BP · exp(log p1) where p1 is
 * the clipped unigram precision; 0 when no unigram matches.
 */
import { wordTokenize, treebankInputs, fastTreebankSpans, treebankTokenizeRegex, spanStart, spanEnd } from './nltkWordTokenize';
import { SpanInterner } from './spanInterner';
import { cjkTokenize } from './cjkTokenize';
import { assertSameLength, countStrings, pyMeanOf } from './aggregate';

export type BleuLanguage = 'en' | 'fr' | 'es' | 'ru' | 'zh' | 'ja';

export function bleuTokenize(text: string, lang: BleuLanguage = 'en'): string[] {
  if (lang === 'zh' || lang === 'ja') return cjkTokenize(text, lang);
  return wordTokenize(text);
}

/** NLTK sentence_bleu with weights (1,0,0,0) and smoothing method1, on token lists. */
export function sentenceBleu1(reference: readonly string[], hypothesis: readonly string[]): number {
  const hypLen = hypothesis.length;
  if (hypLen === 0) return 0;
  const refCounts = countStrings(reference);
  const hypCounts = countStrings(hypothesis);
  let matches = 0;
  for (const [tok, c] of hypCounts) {
    const r = refCounts.get(tok);
    if (r !== undefined) matches += r < c ? r : c;
  }
  if (matches === 0) return 0;
  const refLen = reference.length;
  const bp = hypLen > refLen ? 1 : Math.exp(1 - refLen / hypLen);
  return bp * Math.exp(Math.log(matches / hypLen));
}

// Per-pair scratch: tokens are interned straight from the Treebank spans (no
// token strings, no count Maps); counts live in a reusable typed array.
const spans = new SpanInterner();
let tokIds = new Int32Array(1024);
let nTok = 0;
let counts = new Int32Array(1024);

function pushTok(id: number): void {
  if (nTok === tokIds.length) {
    const b = new Int32Array(tokIds.length * 2);
    b.set(tokIds);
    tokIds = b;
  }
  tokIds[nTok++] = id;
}

/** Appends the ids of `word_tokenize(text)` to tokIds. */
function internWordTokens(text: string): void {
  for (const s of treebankInputs(text)) {
    const n = fastTreebankSpans(s);
    if (n >= 0) {
      for (let k = 0; k < n; k++) pushTok(spans.intern(s, spanStart[k]!, spanEnd[k]!));
    } else {
      for (const t of treebankTokenizeRegex(s)) pushTok(spans.intern(t, 0, t.length));
    }
  }
}

export function bleu1Pair(prediction: string, gold: string, lang: BleuLanguage = 'en'): number {
  if (lang === 'zh' || lang === 'ja') return sentenceBleu1(bleuTokenize(gold, lang), bleuTokenize(prediction, lang));
  // Same arithmetic as sentenceBleu1(word_tokenize(gold), word_tokenize(prediction)).
  spans.reset();
  nTok = 0;
  internWordTokens(gold);
  const refLen = nTok;
  internWordTokens(prediction);
  const hypLen = nTok - refLen;
  if (hypLen === 0) return 0;
  const alphabet = spans.size;
  if (counts.length < alphabet) counts = new Int32Array(alphabet * 2);
  const c = counts;
  c.fill(0, 0, alphabet);
  const ids = tokIds;
  for (let k = 0; k < refLen; k++) c[ids[k]!] = c[ids[k]!]! + 1;
  // clipped matches = Σ_token min(hypCount, refCount): each hyp token uses up one ref copy
  let matches = 0;
  for (let k = refLen; k < nTok; k++) {
    const id = ids[k]!;
    if (c[id]! > 0) {
      c[id] = c[id]! - 1;
      matches++;
    }
  }
  if (matches === 0) return 0;
  const bp = hypLen > refLen ? 1 : Math.exp(1 - refLen / hypLen);
  return bp * Math.exp(Math.log(matches / hypLen));
}

/** Mean BLEU-1 over pairs (×1; the MedS-Bench scripts report ×100). */
export function bleu1(preds: readonly string[], golds: readonly string[], lang: BleuLanguage = 'en'): number {
  assertSameLength(preds, golds);
  return pyMeanOf(preds.length, (i) => bleu1Pair(preds[i]!, golds[i]!, lang));
}
