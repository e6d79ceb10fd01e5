/**
 * Seeded sampling for demonstrations.
 *
 * PRNG: **mulberry32** (Tommy Ettinger's 32-bit generator: add 0x6D2B79F5, two
 * xorshift-multiply rounds, output / 2^32). Per-query seeds come from
 * {@link deriveSeed}: FNV-1a (32-bit) over the UTF-16 code units of the key's string
 * form, XOR-ed with the template seed and passed through the murmur3 finaliser.
 * Sampling without replacement is a partial Fisher–Yates shuffle; the sample keeps the
 * order in which elements were drawn.
 */

import { mulberry32, type Random } from '../random';

export { mulberry32, type Random };

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The seed of one query's draw: the template seed mixed with the query's key. */
export function deriveSeed(seed: number, key: string | number): number {
  return fmix32((fnv1a(String(key)) ^ (seed >>> 0)) >>> 0);
}

/** `min(k, items.length)` distinct elements, in draw order (partial Fisher–Yates). */
export function sampleWithoutReplacement<T>(items: readonly T[], k: number, random: Random): T[] {
  const a = items.slice();
  const n = Math.min(Math.max(0, Math.floor(k)), a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a.slice(0, n);
}
