/**
 * Porter stemmer with the behaviour of NLTK's `PorterStemmer()` in its default
 * mode, NLTK_EXTENSIONS (Google's rouge_score constructs `porter.PorterStemmer()`
 * with no argument, so ORIGINAL_ALGORITHM is *not* used). Ported from the rules
 * of nltk/stem/porter.py (NLTK 3.x); see docs/METRICS.md.
 */

const IRREGULAR: Record<string, string> = {
  sky: 'sky',
  skies: 'sky',
  dying: 'die',
  lying: 'lie',
  tying: 'tie',
  news: 'news',
  innings: 'inning',
  inning: 'inning',
  outings: 'outing',
  outing: 'outing',
  cannings: 'canning',
  canning: 'canning',
  howe: 'howe',
  proceed: 'proceed',
  exceed: 'exceed',
  succeed: 'succeed',
};

function isVowel(ch: string | undefined): boolean {
  return ch === 'a' || ch === 'e' || ch === 'i' || ch === 'o' || ch === 'u';
}

function isConsonant(word: string, index: number): boolean {
  let i = index;
  if (isVowel(word[i])) return false;
  if (word[i] === 'y') {
    let negate = false;
    while (i > 0 && word[i] === 'y') {
      negate = !negate;
      i -= 1;
    }
    return !isVowel(word[i]) !== negate;
  }
  return true;
}

/** m in [C](VC)^m[V], via consonant flags where y after a consonant is a vowel. */
function measure(stem: string): number {
  let prevCons = false;
  let m = 0;
  let prevWasVowel = false;
  for (let i = 0; i < stem.length; i++) {
    const ch = stem[i]!;
    let cons: boolean;
    if (isVowel(ch)) cons = false;
    else if (ch === 'y') cons = i === 0 ? true : !prevCons;
    else cons = true;
    if (cons && prevWasVowel) m++;
    prevWasVowel = !cons;
    prevCons = cons;
  }
  return m;
}

function containsVowel(stem: string): boolean {
  let prevCons = false;
  for (let i = 0; i < stem.length; i++) {
    const ch = stem[i]!;
    let cons: boolean;
    if (isVowel(ch)) cons = false;
    else if (ch === 'y') cons = i === 0 ? true : !prevCons;
    else cons = true;
    if (!cons) return true;
    prevCons = cons;
  }
  return false;
}

function endsDoubleConsonant(word: string): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && isConsonant(word, n - 1);
}

function endsCvc(word: string): boolean {
  const n = word.length;
  const last = word[n - 1];
  return (
    (n >= 3 && isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1) && last !== 'w' && last !== 'x' && last !== 'y') ||
    (n === 2 && !isConsonant(word, 0) && isConsonant(word, 1))
  );
}

type Cond = ((stem: string) => boolean) | null;
type Rule = readonly [suffix: string, replacement: string, condition: Cond];

/** First rule whose suffix matches decides: apply if its condition holds, else keep the word. */
function applyRuleList(word: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (suffix === '*d' && endsDoubleConsonant(word)) {
      const stem = word.slice(0, -2);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
    if (word.endsWith(suffix)) {
      const stem = suffix === '' ? word : word.slice(0, word.length - suffix.length);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
  }
  return word;
}

const positive = (stem: string): boolean => measure(stem) > 0;
const gt1 = (stem: string): boolean => measure(stem) > 1;

const STEP1A: readonly Rule[] = [
  ['sses', 'ss', null],
  ['ies', 'i', null],
  ['ss', 'ss', null],
  ['s', '', null],
];

function step1a(word: string): string {
  if (word.endsWith('ies') && word.length === 4) return word.slice(0, -3) + 'ie';
  return applyRuleList(word, STEP1A);
}

function step1b(word: string): string {
  if (word.endsWith('ied')) {
    return word.slice(0, -3) + (word.length === 4 ? 'ie' : 'i');
  }
  if (word.endsWith('eed')) {
    const stem = word.slice(0, -3);
    return measure(stem) > 0 ? stem + 'ee' : word;
  }
  let inter: string | null = null;
  if (word.endsWith('ed')) {
    const s = word.slice(0, -2);
    if (containsVowel(s)) inter = s;
  }
  if (inter === null && word.endsWith('ing')) {
    const s = word.slice(0, -3);
    if (containsVowel(s)) inter = s;
  }
  if (inter === null) return word;
  const stem = inter;
  const lastCh = stem[stem.length - 1] ?? '';
  return applyRuleList(stem, [
    ['at', 'ate', null],
    ['bl', 'ble', null],
    ['iz', 'ize', null],
    ['*d', lastCh, () => lastCh !== 'l' && lastCh !== 's' && lastCh !== 'z'],
    ['', 'e', (s) => measure(s) === 1 && endsCvc(s)],
  ]);
}

function step1c(word: string): string {
  return applyRuleList(word, [['y', 'i', (s) => s.length > 1 && isConsonant(s, s.length - 1)]]);
}

const STEP2_BASE: readonly Rule[] = [
  ['ational', 'ate', positive],
  ['tional', 'tion', positive],
  ['enci', 'ence', positive],
  ['anci', 'ance', positive],
  ['izer', 'ize', positive],
  ['bli', 'ble', positive],
  ['alli', 'al', positive],
  ['entli', 'ent', positive],
  ['eli', 'e', positive],
  ['ousli', 'ous', positive],
  ['ization', 'ize', positive],
  ['ation', 'ate', positive],
  ['ator', 'ate', positive],
  ['alism', 'al', positive],
  ['iveness', 'ive', positive],
  ['fulness', 'ful', positive],
  ['ousness', 'ous', positive],
  ['aliti', 'al', positive],
  ['iviti', 'ive', positive],
  ['biliti', 'ble', positive],
  ['fulli', 'ful', positive],
];

function step2(word: string): string {
  if (word.endsWith('alli') && positive(word.slice(0, -4))) {
    return step2(word.slice(0, -4) + 'al');
  }
  const rules: Rule[] = [...STEP2_BASE, ['logi', 'log', () => positive(word.slice(0, -3))]];
  return applyRuleList(word, rules);
}

const STEP3: readonly Rule[] = [
  ['icate', 'ic', positive],
  ['ative', '', positive],
  ['alize', 'al', positive],
  ['iciti', 'ic', positive],
  ['ical', 'ic', positive],
  ['ful', '', positive],
  ['ness', '', positive],
];

const STEP4: readonly Rule[] = [
  ['al', '', gt1],
  ['ance', '', gt1],
  ['ence', '', gt1],
  ['er', '', gt1],
  ['ic', '', gt1],
  ['able', '', gt1],
  ['ible', '', gt1],
  ['ant', '', gt1],
  ['ement', '', gt1],
  ['ment', '', gt1],
  ['ent', '', gt1],
  ['ion', '', (s) => measure(s) > 1 && (s.endsWith('s') || s.endsWith('t'))],
  ['ou', '', gt1],
  ['ism', '', gt1],
  ['ate', '', gt1],
  ['iti', '', gt1],
  ['ous', '', gt1],
  ['ive', '', gt1],
  ['ize', '', gt1],
];

function step5a(word: string): string {
  if (word.endsWith('e')) {
    const stem = word.slice(0, -1);
    const m = measure(stem);
    if (m > 1) return stem;
    if (m === 1 && !endsCvc(stem)) return stem;
  }
  return word;
}

function step5b(word: string): string {
  return applyRuleList(word, [['ll', 'l', () => measure(word.slice(0, -1)) > 1]]);
}

/** NLTK `PorterStemmer().stem(word)` (NLTK_EXTENSIONS mode, to_lowercase=True). */
export function porterStem(word: string): string {
  let stem = word.toLowerCase();
  const irregular = IRREGULAR[stem];
  if (irregular !== undefined && Object.prototype.hasOwnProperty.call(IRREGULAR, stem)) return irregular;
  if (word.length <= 2) return stem;
  stem = step1a(stem);
  stem = step1b(stem);
  stem = step1c(stem);
  stem = step2(stem);
  stem = applyRuleList(stem, STEP3);
  stem = applyRuleList(stem, STEP4);
  stem = step5a(stem);
  stem = step5b(stem);
  return stem;
}

/** A bounded memo around {@link porterStem}; stemming is the hot path of ROUGE-L. */
export class CachedStemmer {
  private cache = new Map<string, string>();
  constructor(private readonly maxSize = 200_000) {}
  stem(word: string): string {
    let s = this.cache.get(word);
    if (s === undefined) {
      s = porterStem(word);
      if (this.cache.size >= this.maxSize) this.cache.clear();
      this.cache.set(word, s);
    }
    return s;
  }
}
