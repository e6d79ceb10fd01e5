/**
 * MedS-Bench BLEU-1 (Metrics/utils.py `cal_similarity(..., metric='BLEU')`):
 * NLTK `sentence_bleu([ref_tokens], hyp_tokens, weights=(1, 0, 0, 0),
 * smoothing_function=SmoothingFunction().method1)`, averaged over pairs by the
 * category scripts. Tokens: `word_tokenize` for en/fr/es/ru, jieba (zh) or
 * janome (ja) — here Intl.Segmenter.
 *
 * With weights (1,0,0,0) and method1 the value is BP · exp(log p1) where p1 is
 * the clipped unigram precision; 0 when no unigram matches.
 */
import { wordTokenize } from './nltkWordTokenize';
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

export function bleu1Pair(prediction: string, gold: string, lang: BleuLanguage = 'en'): number {
  return sentenceBleu1(bleuTokenize(gold, lang), bleuTokenize(prediction, lang));
}

/** Mean BLEU-1 over pairs (×1; the MedS-Bench scripts report ×100). */
export function bleu1(preds: readonly string[], golds: readonly string[], lang: BleuLanguage = 'en'): number {
  assertSameLength(preds, golds);
  return pyMeanOf(preds.length, (i) => bleu1Pair(preds[i]!, golds[i]!, lang));
}
