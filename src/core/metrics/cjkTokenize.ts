/**
 * Tokenisation for MedS-Bench's Chinese (task51, jieba) and Japanese (task54,
 * janome) rationale tasks, approximated with the built-in `Intl.Segmenter`
 * (ICU dictionary word breaks). Like `jieba.cut` and janome's `surface`
 * tokens, every segment is kept, punctuation and whitespace included.
 * Segment boundaries differ from jieba/janome in places; see docs/METRICS.md.
 */
export type CjkLanguage = 'zh' | 'ja';

const segmenters = new Map<CjkLanguage, Intl.Segmenter>();

function segmenter(lang: CjkLanguage): Intl.Segmenter {
  let s = segmenters.get(lang);
  if (s === undefined) {
    s = new Intl.Segmenter(lang, { granularity: 'word' });
    segmenters.set(lang, s);
  }
  return s;
}

export function cjkTokenize(text: string, lang: CjkLanguage): string[] {
  const out: string[] = [];
  for (const seg of segmenter(lang).segment(text)) out.push(seg.segment);
  return out;
}
