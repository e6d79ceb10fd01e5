/**
 * Paired permutation (approximate randomisation) test of "no difference" between two runs on
 * the same items: each item's two outputs are swapped with probability ½ and the statistic
 * recomputed (Riezler & Maxwell 2005). Two-sided: a permutation counts when |stat| reaches
 * |observed| (with a relative tolerance for float noise, as scipy.stats.permutation_test).
 * Small samples are enumerated exactly (all 2^n swaps, scipy's `n_resamples=inf`), else
 * R seeded random swaps give p = (r + 1)/(R + 1).
 */
import { mulberry32 } from '../random';

export interface PermutationOptions {
  /** Random swaps when the exact enumeration is too large (default 10,000). */
  resamples?: number;
  seed?: number;
  /** Enumerate all 2^n swaps up to this n (default 16). */
  exactUpTo?: number;
}

export interface PermutationResult {
  observed: number;
  p: number;
  exact: boolean;
  /** Swaps evaluated (2^n when exact). */
  permutations: number;
  seed: number | null;
}

/** A paired statistic given which items are swapped (swap[i] = 1). */
export type SwapStatistic = (swap: Uint8Array) => number;

const REL_TOL = 1e-10;

export function pairedPermutationTest(n: number, stat: SwapStatistic, opts: PermutationOptions = {}): PermutationResult {
  const exactUpTo = opts.exactUpTo ?? 16;
  const resamples = opts.resamples ?? 10_000;
  const seed = opts.seed ?? 20261207;
  const swap = new Uint8Array(n);
  const observed = stat(swap);
  if (n === 0 || !Number.isFinite(observed)) return { observed, p: 1, exact: true, permutations: 0, seed: null };
  const threshold = Math.abs(observed) * (1 - REL_TOL);
  if (n <= exactUpTo) {
    const total = 2 ** n;
    let hits = 0;
    for (let mask = 0; mask < total; mask++) {
      for (let i = 0; i < n; i++) swap[i] = (mask >>> i) & 1;
      if (Math.abs(stat(swap)) >= threshold) hits++;
    }
    return { observed, p: hits / total, exact: true, permutations: total, seed: null };
  }
  const rand = mulberry32(seed);
  let hits = 0;
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) swap[i] = rand() < 0.5 ? 1 : 0;
    if (Math.abs(stat(swap)) >= threshold) hits++;
  }
  return { observed, p: (hits + 1) / (resamples + 1), exact: false, permutations: resamples, seed };
}

/** The test on the mean of per-item differences a[i] − b[i] (a swap flips an item's sign). */
export function pairedPermutationMeanTest(a: ArrayLike<number>, b: ArrayLike<number>, opts: PermutationOptions = {}): PermutationResult {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in length (${a.length} vs ${b.length})`);
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i]! - b[i]!;
  return pairedPermutationTest(
    n,
    (swap) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += swap[i] ? -d[i]! : d[i]!;
      return s / n;
    },
    opts,
  );
}
