/**
 * `[t.surface for t in janome.tokenizer.Tokenizer().tokenize(text)]`, as
 * MedS-Bench tokenises Japanese (task54) for BLEU-1 and ROUGE-L.
 *
 * janome's default dictionary is mecab-ipadic 2.7.0-20070801; `kuromoji` ships
 * the same dictionary compiled (word trie, costs, connection matrix, unknown-
 * word entries), so only janome's algorithm is ported here, not kuromoji's
 * tokenizer, which differs from janome: kuromoji cuts the text after every
 * 、/。 and builds unknown words MeCab's way. janome instead
 * - strips the text (Python `str.strip()`), then builds one lattice per chunk
 *   (a chunk ends at 1000 characters, or after 500 at a 、。,.？?！! or a blank
 *   line), looking words up in at most 50 characters;
 * - gives a character every category of every char.def line that covers it
 *   (MeCab keeps the last line's), adds unknown words for each category when no
 *   dictionary word starts there or the category is always invoked, one word
 *   per category: the whole run of the category (grouping) or up to length+1
 *   characters (no grouping);
 * - keeps every node's surface, so spaces and newlines are tokens (SPACE
 *   category), unlike MeCab;
 * - takes the first predecessor of least cost (strict `<`, in insertion order).
 * Positions are code points, as Python indexes a str. The dictionary (about
 * 18 MB unpacked) loads on the first Japanese text only.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pyStrip } from './pyString';

interface ByteBuffer {
  getShort(index: number): number;
}
interface KuromojiDic {
  trie: { commonPrefixSearch(key: string): { k: string; v: number }[] };
  token_info_dictionary: { dictionary: ByteBuffer; target_map: Record<number, number[]> };
  connection_costs: { get(rightId: number, leftId: number): number };
  unknown_dictionary: {
    dictionary: ByteBuffer;
    target_map: Record<number, number[]>;
    character_definition: {
      invoke_definition_map: {
        lookup(name: string): number | null;
        getCharacterClass(id: number): { is_always_invoke: boolean | number; is_grouping: boolean | number; max_length: number };
      };
    };
  };
}

/**
 * mecab-ipadic's char.def ranges in file order: [from, to, category, compatible
 * categories]. janome reads this file (not a compiled map) and needs every
 * overlapping range, which kuromoji's compiled map no longer has.
 */
const CHAR_RANGES: readonly (readonly [number, number, string, readonly string[]])[] = (
  [
    [0x0020, 0x0020, 'SPACE'],
    [0x00d0, 0x00d0, 'SPACE'],
    [0x0009, 0x0009, 'SPACE'],
    [0x000b, 0x000b, 'SPACE'],
    [0x000a, 0x000a, 'SPACE'],
    [0x0021, 0x002f, 'SYMBOL'],
    [0x0030, 0x0039, 'NUMERIC'],
    [0x003a, 0x0040, 'SYMBOL'],
    [0x0041, 0x005a, 'ALPHA'],
    [0x005b, 0x0060, 'SYMBOL'],
    [0x0061, 0x007a, 'ALPHA'],
    [0x007b, 0x007e, 'SYMBOL'],
    [0x00a1, 0x00bf, 'SYMBOL'],
    [0x00c0, 0x00ff, 'ALPHA'],
    [0x0100, 0x017f, 'ALPHA'],
    [0x0180, 0x0236, 'ALPHA'],
    [0x1e00, 0x1ef9, 'ALPHA'],
    [0x0400, 0x04f9, 'CYRILLIC'],
    [0x0500, 0x050f, 'CYRILLIC'],
    [0x0374, 0x03fb, 'GREEK'],
    [0x3041, 0x309f, 'HIRAGANA'],
    [0x30a1, 0x30ff, 'KATAKANA'],
    [0x31f0, 0x31ff, 'KATAKANA'],
    [0x30fc, 0x30fc, 'KATAKANA'],
    [0xff66, 0xff9d, 'KATAKANA'],
    [0xff9e, 0xff9f, 'KATAKANA'],
    [0x2e80, 0x2ef3, 'KANJI'],
    [0x2f00, 0x2fd5, 'KANJI'],
    [0x3005, 0x3005, 'KANJI'],
    [0x3007, 0x3007, 'KANJI'],
    [0x3400, 0x4db5, 'KANJI'],
    [0x4e00, 0x9fa5, 'KANJI'],
    [0xf900, 0xfa2d, 'KANJI'],
    [0xfa30, 0xfa6a, 'KANJI'],
    ...[0x4e00, 0x4e8c, 0x4e09, 0x56db, 0x4e94, 0x516d, 0x4e03, 0x516b, 0x4e5d, 0x5341, 0x767e, 0x5343, 0x4e07, 0x5104, 0x5146].map(
      (c) => [c, c, 'KANJINUMERIC', 'KANJI'] as const,
    ),
    [0xff10, 0xff19, 'NUMERIC'],
    [0xff21, 0xff3a, 'ALPHA'],
    [0xff41, 0xff5a, 'ALPHA'],
    [0xff01, 0xff0f, 'SYMBOL'],
    [0xff1a, 0xff1f, 'SYMBOL'],
    [0xff3b, 0xff40, 'SYMBOL'],
    [0xff5b, 0xff65, 'SYMBOL'],
    [0xffe0, 0xffef, 'SYMBOL'],
    [0x2000, 0x206f, 'SYMBOL'],
    [0x2070, 0x209f, 'NUMERIC'],
    [0x20a0, 0x20cf, 'SYMBOL'],
    [0x20d0, 0x20ff, 'SYMBOL'],
    [0x2100, 0x214f, 'SYMBOL'],
    [0x2150, 0x218f, 'NUMERIC'],
    [0x2100, 0x214b, 'SYMBOL'],
    [0x2190, 0x21ff, 'SYMBOL'],
    [0x2200, 0x22ff, 'SYMBOL'],
    [0x2300, 0x23ff, 'SYMBOL'],
    [0x2460, 0x24ff, 'SYMBOL'],
    [0x2501, 0x257f, 'SYMBOL'],
    [0x2580, 0x259f, 'SYMBOL'],
    [0x25a0, 0x25ff, 'SYMBOL'],
    [0x2600, 0x26fe, 'SYMBOL'],
    [0x2700, 0x27bf, 'SYMBOL'],
    [0x27f0, 0x27ff, 'SYMBOL'],
    [0x27c0, 0x27ef, 'SYMBOL'],
    [0x2800, 0x28ff, 'SYMBOL'],
    [0x2900, 0x297f, 'SYMBOL'],
    [0x2b00, 0x2bff, 'SYMBOL'],
    [0x2a00, 0x2aff, 'SYMBOL'],
    [0x3300, 0x33ff, 'SYMBOL'],
    [0x3200, 0x32fe, 'SYMBOL'],
    [0x3000, 0x303f, 'SYMBOL'],
    [0xfe30, 0xfe4f, 'SYMBOL'],
    [0xfe50, 0xfe6b, 'SYMBOL'],
    [0x3007, 0x3007, 'SYMBOL', 'KANJINUMERIC'],
  ] as const
).map((r) => [r[0], r[1], r[2], r.length > 3 ? [r[3] as string] : []] as const);

interface Category {
  name: string;
  invoke: boolean;
  group: boolean;
  length: number;
  /** [leftId, rightId, cost] of each unk.def entry, in order. */
  entries: [number, number, number][];
}

interface Janome {
  dic: KuromojiDic;
  /** The word trie's double array (kuromoji's base.dat/check.dat), walked here without allocating. */
  base: Int32Array;
  check: Int32Array;
  /** Connection costs: [right dimension, left dimension, then cost(right, left) at right*left dim + left + 2]. */
  cc: Int16Array;
  words: Map<number, Int32Array>;
  categories: Map<string, Category>;
}

let loaded: Janome | null = null;

function load(): Janome {
  if (loaded !== null) return loaded;
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('kuromoji/package.json'));
  const DynamicDictionaries = require('kuromoji/src/dict/DynamicDictionaries') as new () => KuromojiDic & {
    loadTrie(b: Int32Array, c: Int32Array): void;
    loadTokenInfoDictionaries(a: Uint8Array, b: Uint8Array, c: Uint8Array): void;
    loadConnectionCosts(a: Int16Array): void;
    loadUnknownDictionaries(a: Uint8Array, b: Uint8Array, c: Uint8Array, d: Uint8Array, e: Uint32Array, f: Uint8Array): void;
  };
  const file = (name: string): ArrayBuffer => new Uint8Array(gunzipSync(readFileSync(join(root, 'dict', name)))).buffer;
  const dic = new DynamicDictionaries();
  const base = new Int32Array(file('base.dat.gz'));
  const check = new Int32Array(file('check.dat.gz'));
  dic.loadTrie(base, check);
  dic.loadTokenInfoDictionaries(new Uint8Array(file('tid.dat.gz')), new Uint8Array(file('tid_pos.dat.gz')), new Uint8Array(file('tid_map.dat.gz')));
  const cc = new Int16Array(file('cc.dat.gz'));
  dic.loadConnectionCosts(cc);
  dic.loadUnknownDictionaries(
    new Uint8Array(file('unk.dat.gz')),
    new Uint8Array(file('unk_pos.dat.gz')),
    new Uint8Array(file('unk_map.dat.gz')),
    new Uint8Array(file('unk_char.dat.gz')),
    new Uint32Array(file('unk_compat.dat.gz')),
    new Uint8Array(file('unk_invoke.dat.gz')),
  );
  const unk = dic.unknown_dictionary;
  const map = unk.character_definition.invoke_definition_map;
  const categories = new Map<string, Category>();
  for (const name of ['DEFAULT', 'SPACE', 'KANJI', 'SYMBOL', 'NUMERIC', 'ALPHA', 'HIRAGANA', 'KATAKANA', 'KANJINUMERIC', 'GREEK', 'CYRILLIC']) {
    const id = map.lookup(name);
    if (id === null) throw new Error(`kuromoji dictionary lacks the unknown-word category ${name}`);
    const cls = map.getCharacterClass(id);
    const entries = (unk.target_map[id] ?? []).map((e) => {
      const u = Number(e);
      return [unk.dictionary.getShort(u), unk.dictionary.getShort(u + 2), unk.dictionary.getShort(u + 4)] as [number, number, number];
    });
    categories.set(name, {
      name,
      invoke: cls.is_always_invoke === true || cls.is_always_invoke === 1,
      group: cls.is_grouping === true || cls.is_grouping === 1,
      length: cls.max_length,
      entries,
    });
  }
  loaded = { dic, base, check, cc, categories, words: new Map() };
  return loaded;
}

/** janome's `get_char_categories`: every category of every range holding `cp`, with its compatible ones; DEFAULT otherwise. */
const categoryCache = new Map<number, Map<string, readonly string[]>>();
function charCategories(cp: number): Map<string, readonly string[]> {
  let res = categoryCache.get(cp);
  if (res === undefined) {
    res = new Map();
    for (const [from, to, cate, compat] of CHAR_RANGES) if (from <= cp && cp <= to) res.set(cate, compat);
    if (res.size === 0) res.set('DEFAULT', []);
    categoryCache.set(cp, res);
  }
  return res;
}

function inCategory(cp: number, cate: string): boolean {
  const cs = charCategories(cp);
  if (cs.has(cate)) return true;
  for (const compat of cs.values()) if (compat.includes(cate)) return true;
  return false;
}

/** doublearray's traverse(): the child of `parent` by byte `code`, or -1. */
function traverse(j: Janome, parent: number, code: number): number {
  const b = parent < j.base.length ? j.base[parent]! : 1 - parent;
  const child = b + code;
  const c = child < j.check.length ? j.check[child]! : -child - 1;
  return c === parent ? child : -1;
}

// scratch for prefixSearch: UTF-16 lengths and trie ids of the dictionary words found
let foundLen = new Int32Array(64);
let foundId = new Int32Array(64);

/**
 * doublearray's commonPrefixSearch(text[from, to)) (words in increasing length, ids as
 * kuromoji stores them), walking UTF-8 bytes in place. Returns the number found.
 */
function prefixSearch(j: Janome, text: string, from: number, to: number): number {
  let parent = 0;
  let n = 0;
  const step = (code: number): boolean => {
    const child = traverse(j, parent, code);
    if (child < 0) return false;
    parent = child;
    return true;
  };
  for (let i = from; i < to; i++) {
    const c = text.codePointAt(i)!;
    if (c > 0xffff) i++;
    let ok: boolean;
    if (c < 0x80) ok = step(c);
    else if (c < 0x800) ok = step(0xc0 | (c >> 6)) && step(0x80 | (c & 0x3f));
    else if (c < 0x10000) ok = step(0xe0 | (c >> 12)) && step(0x80 | ((c >> 6) & 0x3f)) && step(0x80 | (c & 0x3f));
    else ok = step(0xf0 | (c >> 18)) && step(0x80 | ((c >> 12) & 0x3f)) && step(0x80 | ((c >> 6) & 0x3f)) && step(0x80 | (c & 0x3f));
    if (!ok) break;
    const leaf = traverse(j, parent, 0);
    if (leaf >= 0) {
      if (n === foundLen.length) {
        const a = new Int32Array(n * 2);
        a.set(foundLen);
        foundLen = a;
        const b = new Int32Array(n * 2);
        b.set(foundId);
        foundId = b;
      }
      const b = leaf < j.base.length ? j.base[leaf]! : 1 - leaf;
      foundLen[n] = i + 1 - from;
      foundId[n++] = b <= 0 ? -b - 1 : -1;
    }
  }
  return n;
}

/** [leftId, rightId, cost, …] of the dictionary entries of one trie word, in kuromoji's order (memoised). */
function wordEntries(j: Janome, trieId: number): Int32Array {
  let e = j.words.get(trieId);
  if (e === undefined) {
    const tid = j.dic.token_info_dictionary;
    const ids = tid.target_map[trieId] ?? [];
    e = new Int32Array(ids.length * 3);
    ids.forEach((raw, x) => {
      const id = Number(raw);
      e![3 * x] = tid.dictionary.getShort(id);
      e![3 * x + 1] = tid.dictionary.getShort(id + 2);
      e![3 * x + 2] = tid.dictionary.getShort(id + 4);
    });
    j.words.set(trieId, e);
  }
  return e;
}

interface LNode {
  surface: string;
  len: number;
  leftId: number;
  rightId: number;
  cost: number;
  minCost: number;
  back: LNode | null;
}

const MAX_CHUNK_SIZE = 1000;
const CHUNK_SIZE = 500;
const MAX_UNKNOWN_LENGTH = 1024;
const REIWA = '令和';
const PUNCT = new Set(['、', '。', ',', '.', '？', '?', '！', '!']);

function shouldSplit(chars: readonly string[], start: number, length: number, pos: number): boolean {
  if (pos >= length || pos >= MAX_CHUNK_SIZE) return true;
  if (pos < CHUNK_SIZE) return false;
  if (PUNCT.has(chars[start + pos - 1]!)) return true;
  const tail = chars.slice(start + Math.max(0, pos - 4), start + pos).join('');
  return tail.endsWith('\n\n') || tail.endsWith('\r\n\r\n');
}

/**
 * One janome `__tokenize_partial` over `chars` (code points of `text` from `start`, with their
 * UTF-16 offsets in `offs`); returns the surfaces and how many code points it consumed.
 */
let bestCost = new Float64Array(0);
let bestStamp = new Int32Array(0);
let bestNode: (LNode | null)[] = [];
let groupStamp = new Int32Array(0);
let groupIndex = new Int32Array(0);
const groupNode: LNode[] = [];
const groupRep: number[] = [];
/** bestStamp[l] === stamp + p: bestCost/bestNode[l] hold position p of the current lattice. */
let stampBase = 0;

function tokenizePartial(j: Janome, text: string, offs: Int32Array, chars: readonly string[], cps: readonly number[], start: number): [string[], number] {
  const stamp = stampBase;
  stampBase += MAX_CHUNK_SIZE + 4;
  if (stampBase > 2_000_000_000) {
    stampBase = 0;
    bestStamp.fill(-1);
    groupStamp.fill(-1);
  }
  const { categories } = j;
  const chunkSize = Math.min(chars.length - start, MAX_CHUNK_SIZE);
  const enodes: LNode[][] = [];
  for (let i = 0; i <= chunkSize + 2; i++) enodes.push([]);
  const bos: LNode = { surface: '', len: 0, leftId: 0, rightId: 0, cost: 0, minCost: 0, back: null };
  enodes[1]!.push(bos);
  let p = 1;
  // Best predecessor per left context id at the current position: nodes that share a
  // left id share it (same costs, same first-least order), so each is computed once.
  const cc = j.cc;
  const dim = cc[1]!;
  if (bestCost.length < dim) {
    bestCost = new Float64Array(dim);
    bestStamp = new Int32Array(dim);
    bestNode = new Array<LNode | null>(dim).fill(null);
    groupStamp = new Int32Array(dim);
    groupIndex = new Int32Array(dim);
  }
  // The nodes ending at p, one per right context id: the first of least cost. Taking the
  // first least total over these, in the order of those first nodes, picks the same node as
  // janome's loop over all of them (strict <), with far fewer connection lookups.
  let groupsAt = -1;
  let nGroups = 0;
  const groupEnds = (ends: readonly LNode[]): void => {
    groupsAt = p;
    nGroups = 0;
    for (let i = 0; i < ends.length; i++) {
      const e = ends[i]!;
      const r = e.rightId;
      if (groupStamp[r] === stamp + p) {
        const g = groupIndex[r]!;
        if (e.minCost < groupNode[g]!.minCost) {
          groupNode[g] = e;
          groupRep[g] = i;
        }
      } else {
        groupStamp[r] = stamp + p;
        groupIndex[r] = nGroups;
        groupRep[nGroups] = i;
        groupNode[nGroups++] = e;
      }
    }
  };
  const add = (node: LNode, len: number): void => {
    const l = node.leftId;
    if (bestStamp[l] !== stamp + p) {
      if (groupsAt !== p) groupEnds(enodes[p]!);
      let best = Infinity;
      let bestIdx = -1;
      let from: LNode | null = null;
      for (let g = 0; g < nGroups; g++) {
        const e = groupNode[g]!;
        const c = e.minCost + cc[e.rightId * dim + l + 2]!;
        // ties go to the node that comes first among the ends, as janome's loop would
        if (c < best || (c === best && groupRep[g]! < bestIdx)) {
          best = c;
          bestIdx = groupRep[g]!;
          from = e;
        }
      }
      bestCost[l] = best;
      bestNode[l] = from;
      bestStamp[l] = stamp + p;
    }
    // janome: `if enode.min_cost + cost < node.min_cost` with min_cost starting at 2**31 - 1
    const best = bestCost[l]!;
    if (best + node.cost < node.minCost) {
      node.minCost = best + node.cost;
      node.back = bestNode[l]!;
    }
    enodes[p + len]!.push(node);
  };
  const INIT = 2 ** 31 - 1;
  let pos = 0;
  const rest = chars.length - start;
  while (!shouldSplit(chars, start, rest, pos)) {
    const from = offs[start + pos]!;
    const to = offs[start + pos + Math.min(50, chunkSize - pos)]!;
    const nFound = prefixSearch(j, text, from, to);
    let matched = false;
    for (let f = 0; f < nFound; f++) {
      const len = foundLen[f]!;
      // dictionary surfaces are BMP-only (EUC-JP), so UTF-16 length = code points
      const k = text.substring(from, from + len);
      const e = wordEntries(j, foundId[f]!);
      for (let x = 0; x < e.length; x += 3) add({ surface: k, len, leftId: e[x]!, rightId: e[x + 1]!, cost: e[x + 2]!, minCost: INIT, back: null }, len);
      matched = true;
    }
    // janome's build adds one entry to mecab-ipadic (Noun.proper.csv.patch): 令和 (Reiwa)
    if (to - from >= 2 && text.startsWith(REIWA, from)) {
      add({ surface: REIWA, len: 2, leftId: 1288, rightId: 1288, cost: 5904, minCost: INIT, back: null }, 2);
      matched = true;
    }
    for (const cate of charCategories(cps[start + pos]!).keys()) {
      const c = categories.get(cate)!;
      if (matched && !c.invoke) continue;
      const length = c.group ? MAX_UNKNOWN_LENGTH : c.length;
      let end = pos + 1;
      const stop = Math.min(chunkSize, pos + length + 1);
      while (end < stop && inCategory(cps[start + end]!, cate)) end++;
      const buf = text.substring(from, offs[start + end]!);
      for (const [leftId, rightId, cost] of c.entries) add({ surface: buf, len: end - pos, leftId, rightId, cost, minCost: INIT, back: null }, end - pos);
    }
    // lattice.forward(): on to the next position where some node ends
    const old = p;
    p++;
    while (enodes[p]!.length === 0) p++;
    pos += p - old;
  }
  const eos: LNode = { surface: '', len: 1, leftId: 0, rightId: 0, cost: 0, minCost: INIT, back: null };
  add(eos, 0);
  const out: string[] = [];
  for (let n = eos.back; n !== null && n !== bos; n = n.back) out.push(n.surface);
  out.reverse();
  return [out, pos];
}

/** Surfaces of janome's `Tokenizer().tokenize(text)` (whitespace tokens included). */
export function janomeTokenize(text: string): string[] {
  const j = load();
  const t = pyStrip(text);
  const chars = Array.from(t);
  const cps = chars.map((c) => c.codePointAt(0)!);
  const offs = new Int32Array(chars.length + 1);
  for (let i = 0, o = 0; i <= chars.length; i++) {
    offs[i] = o;
    if (i < chars.length) o += chars[i]!.length;
  }
  const out: string[] = [];
  let processed = 0;
  while (processed < chars.length) {
    const [toks, n] = tokenizePartial(j, t, offs, chars, cps, processed);
    for (const t of toks) out.push(t);
    processed += n;
  }
  return out;
}
