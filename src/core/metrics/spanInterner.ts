/**
 * Interns substrings `s.slice(start, end)` to small integer ids without
 * allocating the substrings: an open-addressing hash table keyed by
 * (source string, start, length) that compares char codes. The per-pair
 * metrics (pltrdy ROUGE-L, BLEU-1) intern a few hundred tokens per pair, so
 * avoiding the slice + Map round trip per token matters; `reset()` is O(1)
 * (generation stamps) instead of clearing the table.
 */
export class SpanInterner {
  private cap = 1024; // power of two, kept ≥ 2 × entries
  private stamp = new Int32Array(this.cap);
  private slotId = new Int32Array(this.cap);
  private gen = 1;
  // per id: where its first occurrence lives
  private keyStr: string[] = [];
  private keyStart = new Int32Array(512);
  private keyLen = new Int32Array(512);
  private keyHash = new Int32Array(512);
  size = 0;

  reset(): void {
    this.size = 0;
    this.gen++;
    if (this.gen === 0x7fffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
  }

  /** Id of `s.slice(start, end)`; ids are dense, in first-seen order. */
  intern(s: string, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let p = start; p < end; p++) h = Math.imul(h ^ s.charCodeAt(p), 0x01000193);
    const len = end - start;
    const mask = this.cap - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    const stamp = this.stamp;
    const gen = this.gen;
    while (stamp[slot] === gen) {
      const id = this.slotId[slot]!;
      if (this.keyHash[id] === h && this.keyLen[id] === len) {
        const ks = this.keyStr[id]!;
        const k0 = this.keyStart[id]!;
        let eq = true;
        for (let q = 0; q < len; q++) {
          if (ks.charCodeAt(k0 + q) !== s.charCodeAt(start + q)) {
            eq = false;
            break;
          }
        }
        if (eq) return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.size++;
    if (id >= this.keyLen.length) this.growKeys();
    this.keyStr[id] = s;
    this.keyStart[id] = start;
    this.keyLen[id] = len;
    this.keyHash[id] = h;
    stamp[slot] = gen;
    this.slotId[slot] = id;
    if (this.size * 2 > this.cap) this.rehash();
    return id;
  }

  private growKeys(): void {
    const n = this.keyLen.length * 2;
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.keyStart = grow(this.keyStart);
    this.keyLen = grow(this.keyLen);
    this.keyHash = grow(this.keyHash);
  }

  private rehash(): void {
    this.cap *= 2;
    this.stamp = new Int32Array(this.cap);
    this.slotId = new Int32Array(this.cap);
    this.gen = 1;
    const mask = this.cap - 1;
    for (let id = 0; id < this.size; id++) {
      const h = this.keyHash[id]!;
      let slot = (h ^ (h >>> 15)) & mask;
      while (this.stamp[slot] === 1) slot = (slot + 1) & mask;
      this.stamp[slot] = 1;
      this.slotId[slot] = id;
    }
  }
}
