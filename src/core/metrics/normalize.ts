/**
 * SQuAD `normalize_answer` as used by MedINST32's evaluation.py:
 * lower-case, drop ASCII punctuation (`string.punctuation`), replace the
 * articles a/an/the (Unicode word boundaries, Python 3 `re`) by a space,
 * squash whitespace (Python `str.split()`).
 */
import { PY_WORD_CLASS, pySplit } from './pyString';

const PUNCT = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
const ARTICLES = new RegExp(`(?<![${PY_WORD_CLASS}])(?:a|an|the)(?![${PY_WORD_CLASS}])`, 'gu');
const HAS_PUNCT = /[!-/:-@[-`{-~]/;

export function removePunctuation(s: string): string {
  if (!HAS_PUNCT.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (!PUNCT.has(ch)) out += ch;
  }
  return out;
}

export function normalizeAnswer(s: string): string {
  const lowered = s.toLowerCase();
  const noPunct = removePunctuation(lowered);
  const noArticles = noPunct.replace(ARTICLES, ' ');
  return pySplit(noArticles).join(' ');
}
