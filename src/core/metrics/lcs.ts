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

// ---------------------------------------------------------------------------
// Bit-parallel variant of markReconLcs for pltrdy's summary-level ROUGE-L.
//
// The reconstruction walk only needs table values t[i][j] along its path. With
// the Allison–Dix / Hyyrö bit-vector recurrence, row i of the DP table is
// encoded by one bit vector V_i over the columns: t[i][j] = number of zero bits
// of V_i among bits 0..j-1. Keeping every V_i (n rows × ⌈m/32⌉ words) lets the
// walk read t[i-1][j] and t[i][j-1] by popcount, so the walk (and therefore
// the set of marked ids) is identical to the full O(n·m) table while the fill
// costs O(n·⌈m/32⌉) word operations. Sentences are usually ≤ 32 tokens, so
// that is one word per row.

let pmask = new Int32Array(1024); // match masks of the current column sentence: [id * words + k]
let vrows = new Int32Array(1024); // V_0..V_n of the current (row, column) sentence pair

function popcount(w: number): number {
  w = w - ((w >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** t[i][j] from the stored bit rows (multi-word case). */
function zerosBefore(rowBase: number, j: number): number {
  let z = 0;
  const full = j >>> 5;
  for (let k = 0; k < full; k++) z += popcount(~vrows[rowBase + k]!);
  const rem = j & 31;
  if (rem !== 0) z += popcount(~vrows[rowBase + full]! & ((1 << rem) - 1));
  return z;
}

/**
 * pltrdy `rouge` summary-level union LCS: for every (row sentence x, column
 * sentence y) pair, walks back the LCS exactly as {@link markReconLcs} does
 * and sets `mark[id] = 1` for each id on it. Sentences are slices of `ids`:
 * row sentence r is ids[rowOff[r] .. rowOff[r+1]), likewise for columns.
 * Returns the number of ids newly marked (the size of the union).
 */
export function unionMarkReconLcs(
  ids: Int32Array,
  rowOff: Int32Array,
  rowCount: number,
  colOff: Int32Array,
  colCount: number,
  alphabet: number,
  mark: Uint8Array,
): number {
  let added = 0;
  // The union is a set, so the order of the (row, column) pairs is free: loop
  // columns outermost to build each column's match masks once.
  for (let c = 0; c < colCount; c++) {
    const ys = colOff[c]!;
    const m = colOff[c + 1]! - ys;
    if (m === 0) continue;
    const words = (m + 31) >>> 5;
    const need = alphabet * words;
    if (pmask.length < need) pmask = new Int32Array(Math.max(need, pmask.length * 2));
    for (let j = 0; j < m; j++) {
      const idx = ids[ys + j]! * words + (j >>> 5);
      pmask[idx] = pmask[idx]! | (1 << (j & 31));
    }
    for (let r = 0; r < rowCount; r++) {
      const xs = rowOff[r]!;
      const n = rowOff[r + 1]! - xs;
      if (n === 0) continue;
      const size = (n + 1) * words;
      if (vrows.length < size) vrows = new Int32Array(Math.max(size, vrows.length * 2));
      const V = vrows;
      let i = n;
      let j = m;
      if (words === 1) {
        let v = -1;
        V[0] = v;
        for (let a = 1; a <= n; a++) {
          const u = v & pmask[ids[xs + a - 1]!]!;
          // (v + u) | (v - u) on unsigned 32-bit words; ToInt32 wraps the sum mod 2^32
          v = ((v >>> 0) + (u >>> 0)) | ((v >>> 0) - (u >>> 0));
          V[a] = v;
        }
        const all = m === 32 ? -1 : (1 << m) - 1;
        if ((~v & all) === 0) continue; // LCS empty: nothing to mark
        while (i > 0 && j > 0) {
          const xi = ids[xs + i - 1]!;
          if (xi === ids[ys + j - 1]) {
            if (mark[xi] === 0) {
              mark[xi] = 1;
              added++;
            }
            i--;
            j--;
          } else {
            // t[i-1][j] > t[i][j-1] ?
            const up = popcount(~V[i - 1]! & (j === 32 ? -1 : (1 << j) - 1));
            const left = popcount(~V[i]! & ((1 << (j - 1)) - 1));
            if (up > left) i--;
            else j--;
          }
        }
      } else {
        V.fill(-1, 0, words);
        for (let a = 1; a <= n; a++) {
          const prev = (a - 1) * words;
          const cur = prev + words;
          const base = ids[xs + a - 1]! * words;
          let carry = 0;
          for (let k = 0; k < words; k++) {
            const vk = V[prev + k]! >>> 0;
            const u = (vk & pmask[base + k]!) >>> 0;
            const sum = vk + u + carry; // < 2^33, exact in float
            carry = sum > 0xffffffff ? 1 : 0;
            V[cur + k] = sum | (vk - u);
          }
        }
        if (zerosBefore(n * words, m) === 0) continue;
        while (i > 0 && j > 0) {
          const xi = ids[xs + i - 1]!;
          if (xi === ids[ys + j - 1]) {
            if (mark[xi] === 0) {
              mark[xi] = 1;
              added++;
            }
            i--;
            j--;
          } else if (zerosBefore((i - 1) * words, j) > zerosBefore(i * words, j - 1)) i--;
          else j--;
        }
      }
    }
    for (let j = 0; j < m; j++) {
      const base = ids[ys + j]! * words;
      for (let k = 0; k < words; k++) pmask[base + k] = 0;
    }
  }
  return added;
}
