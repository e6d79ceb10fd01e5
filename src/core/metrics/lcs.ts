/**
 * Longest-common-subsequence kernels over integer token ids (typed arrays).
 */

/** Maps string tokens to small integer ids so the DP compares numbers. */
export class TokenInterner {
  private ids = new Map<string, number>();
  intern(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      let id = this.ids.get(t);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(t, id);
      }
      out[i] = id;
    }
    return out;
  }
  reset(): void {
    this.ids.clear();
  }
  get size(): number {
    return this.ids.size;
  }
}

let masks = new Uint32Array(1024);
let vec = new Uint32Array(16);

/**
 * LCS length by the bit-parallel algorithm of Allison–Dix / Hyyrö:
 * O(|x|·⌈|y|/32⌉) word operations; identical result to the DP table.
 * `alphabet` is an upper bound (exclusive) of the ids in x and y.
 */
export function lcsLengthBits(x: Int32Array, y: Int32Array, alphabet: number): number {
  if (x.length === 0 || y.length === 0) return 0;
  const m = y.length;
  const words = (m + 31) >>> 5;
  const need = alphabet * words;
  if (masks.length < need) masks = new Uint32Array(Math.max(need, masks.length * 2));
  masks.fill(0, 0, need);
  for (let j = 0; j < m; j++) {
    const idx = y[j]! * words + (j >>> 5);
    masks[idx] = masks[idx]! | (1 << (j & 31));
  }
  if (vec.length < words) vec = new Uint32Array(words * 2);
  const v = vec;
  v.fill(0xffffffff, 0, words);
  const lastBits = m & 31;
  for (let i = 0; i < x.length; i++) {
    const base = x[i]! * words;
    let carry = 0;
    for (let k = 0; k < words; k++) {
      const vk = v[k]!;
      const u = (vk & masks[base + k]!) >>> 0;
      const sum = vk + u + carry; // < 2^33, exact in float
      carry = sum > 0xffffffff ? 1 : 0;
      v[k] = ((sum >>> 0) | (vk - u)) >>> 0;
    }
  }
  let zeros = 0;
  for (let k = 0; k < words; k++) {
    let w = ~v[k]! >>> 0;
    if (k === words - 1 && lastBits !== 0) w &= (1 << lastBits) - 1;
    w = w - ((w >>> 1) & 0x55555555);
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    zeros += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return zeros;
}

let rowA = new Int32Array(256);
let rowB = new Int32Array(256);

/** LCS length in O(n·m) time and O(min) memory (two reusable rows). */
export function lcsLength(a: Int32Array, b: Int32Array): number {
  let x = a;
  let y = b;
  if (y.length > x.length) {
    x = b;
    y = a;
  }
  const m = y.length;
  if (m === 0) return 0;
  if (rowA.length < m + 1) {
    rowA = new Int32Array(m + 1);
    rowB = new Int32Array(m + 1);
  }
  let prev = rowA;
  let cur = rowB;
  prev.fill(0, 0, m + 1);
  cur[0] = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    for (let j = 1; j <= m; j++) {
      if (xi === y[j - 1]!) cur[j] = prev[j - 1]! + 1;
      else {
        const up = prev[j]!;
        const left = cur[j - 1]!;
        cur[j] = up > left ? up : left;
      }
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[m]!;
}

let table = new Int32Array(1024);

/**
 * The LCS that pltrdy's `rouge` package reconstructs (`_recon_lcs`): walk back
 * from (n, m); on a match take x[i-1]; otherwise go up when
 * table[i-1][j] > table[i][j-1], else left. Returns the ids of x along the LCS
 * (in order).
 */
export function reconLcs(x: Int32Array, y: Int32Array): number[] {
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const size = (n + 1) * w;
  if (table.length < size) table = new Int32Array(size);
  const t = table;
  for (let j = 0; j <= m; j++) t[j] = 0;
  for (let i = 1; i <= n; i++) {
    const row = i * w;
    const prow = row - w;
    t[row] = 0;
    const xi = x[i - 1]!;
    for (let j = 1; j <= m; j++) {
      if (xi === y[j - 1]!) t[row + j] = t[prow + j - 1]! + 1;
      else {
        const up = t[prow + j]!;
        const left = t[row + j - 1]!;
        t[row + j] = up > left ? up : left;
      }
    }
  }
  const out: number[] = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    if (x[i - 1] === y[j - 1]) {
      out.push(x[i - 1]!);
      i--;
      j--;
    } else if (t[(i - 1) * w + j]! > t[i * w + j - 1]!) i--;
    else j--;
  }
  out.reverse();
  return out;
}

/**
 * Same walk as {@link reconLcs}, but sets `mark[id] = 1` for every id on the
 * LCS instead of building it; returns how many ids were newly marked.
 */
export function markReconLcs(x: Int32Array, y: Int32Array, mark: Uint8Array): number {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return 0;
  const w = m + 1;
  const size = (n + 1) * w;
  if (table.length < size) table = new Int32Array(Math.max(size, table.length * 2));
  const t = table;
  for (let j = 0; j <= m; j++) t[j] = 0;
  for (let i = 1; i <= n; i++) {
    const row = i * w;
    const prow = row - w;
    t[row] = 0;
    const xi = x[i - 1]!;
    for (let j = 1; j <= m; j++) {
      if (xi === y[j - 1]!) t[row + j] = t[prow + j - 1]! + 1;
      else {
        const up = t[prow + j]!;
        const left = t[row + j - 1]!;
        t[row + j] = up > left ? up : left;
      }
    }
  }
  let added = 0;
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const xi = x[i - 1]!;
    if (xi === y[j - 1]) {
      if (mark[xi] === 0) {
        mark[xi] = 1;
        added++;
      }
      i--;
      j--;
    } else if (t[(i - 1) * w + j]! > t[i * w + j - 1]!) i--;
    else j--;
  }
  return added;
}
