/**
 * `list(jieba.cut(text))` of jieba 0.42.1 (default mode, HMM on), as MedS-Bench
 * tokenises Chinese (task51) for BLEU-1 and ROUGE-L.
 *
 * The dictionary/HMM segmentation of a Han block is `@node-rs/jieba` (a port of
 * jieba with the same dictionary and HMM); what lies around it is done here,
 * because the port differs from jieba 0.42.1 in two places:
 * - its block regex also accepts CJK Extension A/B…, U+9FD6–U+9FFF and the
 *   compatibility ideographs, which jieba's `re_han_default` (`[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]`)
 *   leaves outside the block and yields one character at a time;
 * - its bundled dict.txt lacks one entry of jieba's (`B超 3 n`), which also
 *   shifts the dictionary total that every route probability is divided by.
 * The package and its 5 MB dictionary load on the first Chinese text only.
 */
import { createRequire } from 'node:module';
import { PY_WS_CLASS } from './pyString';

interface JiebaPort {
  cut(sentence: string, hmm?: boolean): string[];
}

/** Entries of jieba 0.42.1's dict.txt that the port's copy lacks. */
const MISSING_DICT_LINES = 'B超 3 n\n';

let jieba: JiebaPort | null = null;

function port(): JiebaPort {
  if (jieba === null) {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): JiebaPort } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Buffer };
    const sep = dict.length > 0 && dict[dict.length - 1] !== 0x0a ? '\n' : '';
    jieba = Jieba.withDict(Buffer.concat([dict, Buffer.from(sep + MISSING_DICT_LINES, 'utf8')]));
  }
  return jieba;
}

/** jieba's `re_han_default` (a capture group, so `split` keeps the blocks). */
const RE_HAN_DEFAULT = /([\u4E00-\u9FD5a-zA-Z0-9+#&._%-]+)/;
/** jieba's `re_skip_default` = `(\r\n|\s)` with Python's Unicode `\s`. */
const RE_SKIP_DEFAULT = new RegExp(`(\\r\\n|[${PY_WS_CLASS}])`, 'u');

/** Tokens of `jieba.cut(text)` (cut_all=False, HMM=True), every character kept. */
export function jiebaCut(text: string): string[] {
  const out: string[] = [];
  const blocks = text.split(RE_HAN_DEFAULT);
  for (let b = 0; b < blocks.length; b++) {
    const blk = blocks[b]!;
    if (blk.length === 0) continue;
    if (b % 2 === 1) {
      // a re_han_default block: the port's own block regex sees it whole
      for (const w of port().cut(blk, true)) out.push(w);
      continue;
    }
    const pieces = blk.split(RE_SKIP_DEFAULT);
    for (let k = 0; k < pieces.length; k++) {
      const x = pieces[k]!;
      if (x.length === 0) continue;
      if (k % 2 === 1) out.push(x);
      else for (const ch of x) out.push(ch); // by code point, as Python iterates a str
    }
  }
  return out;
}
