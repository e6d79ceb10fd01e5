/**
 * Tokenisation for MedS-Bench's Chinese (task51) and Japanese (task54)
 * rationale tasks, as Metrics/utils.py does it: `list(jieba.cut(text))` for
 * zh and janome's token surfaces for ja. Every token is kept, punctuation and
 * whitespace included. Both segmenters load lazily on first use.
 */
import { jiebaCut } from './jiebaCut';
import { janomeTokenize } from './janomeTokenize';

export type CjkLanguage = 'zh' | 'ja';

export function cjkTokenize(text: string, lang: CjkLanguage): string[] {
  return lang === 'zh' ? jiebaCut(text) : janomeTokenize(text);
}
