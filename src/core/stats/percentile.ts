/**
 * Percentiles of sorted samples by linear interpolation between order statistics — numpy's
 * default (`method='linear'`, Hyndman & Fan type 7) — so bootstrap intervals match the
 * numbers scipy/numpy users compute from the same resamples.
 */

/** The q-quantile (0 ≤ q ≤ 1) of an ascending array; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (q <= 0) return sorted[0]!;
  if (q >= 1) return sorted[n - 1]!;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = sorted[lo]!;
  if (frac === 0 || lo + 1 >= n) return a;
  return a + (sorted[lo + 1]! - a) * frac;
}

/** Mean of `values` over the positions in `idx` (all positions when idx is null). */
export function meanAt(values: ArrayLike<number>, idx: ArrayLike<number> | null): number {
  const n = idx ? idx.length : values.length;
  if (n === 0) return NaN;
  let s = 0;
  if (idx) for (let i = 0; i < n; i++) s += values[idx[i]!]!;
  else for (let i = 0; i < n; i++) s += values[i]!;
  return s / n;
}
