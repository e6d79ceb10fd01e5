/**
 * Seeded percentile bootstrap over items: confidence intervals of a run's metric and of the
 * paired difference between two runs on the same items. Every resample draws n item
 * positions with replacement from one mulberry32 stream, so a (seed, resamples, n) triple
 * always yields the same interval — stored numbers can be reproduced exactly.
 *
 * The statistic is a function of the resampled positions, so corpus-level metrics
 * (macro-F1, micro-F1 over entities) are recomputed on each resample rather than being
 * averaged per item (Koehn 2004; Berg-Kirkpatrick et al. 2012); item means take the fast path.
 */
import { mulberry32 } from '../random';
import { meanAt, quantileSorted } from './percentile';

export interface BootstrapOptions {
  /** Number of resamples (default 1,000, as Koehn 2004). */
  resamples?: number;
  /** Seed of the mulberry32 stream (default 20261207). */
  seed?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /**
   * The resample positions, precomputed by {@link resampleIndices} for the same n, resamples and
   * seed: many statistics over the same items then share one stream (and the same resamples).
   */
  indices?: Int32Array;
}

export interface ConfidenceInterval {
  /** The statistic on the full sample. */
  estimate: number;
  low: number;
  high: number;
  level: number;
  resamples: number;
  seed: number;
  /** Items resampled. */
  n: number;
}

export const DEFAULT_SEED = 20261207;
export const DEFAULT_RESAMPLES = 1000;

/** A statistic evaluated on item positions (with repeats); `null` means every item once. */
export type IndexedStatistic = (idx: Int32Array | null) => number;

function resolve(o: BootstrapOptions): Required<Omit<BootstrapOptions, 'indices'>> & Pick<BootstrapOptions, 'indices'> {
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const level = o.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer (got ${resamples})`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1 (got ${level})`);
  return { resamples, level, seed: o.seed ?? DEFAULT_SEED, indices: o.indices };
}

/** Every resample's positions, resample after resample (resamples × n), from mulberry32(seed). */
export function resampleIndices(n: number, resamples: number = DEFAULT_RESAMPLES, seed: number = DEFAULT_SEED): Int32Array {
  const out = new Int32Array(n * resamples);
  const rand = mulberry32(seed);
  for (let k = 0; k < out.length; k++) out[k] = Math.floor(rand() * n);
  return out;
}

/**
 * The resampled statistics, in draw order. Position j of resample r is
 * `floor(u * n)` for the (r*n + j)-th draw u of mulberry32(seed) — test/stats/golden
 * reproduces this stream in Python.
 */
export function bootstrapDistribution(n: number, stat: IndexedStatistic, opts: BootstrapOptions = {}): Float64Array {
  const { resamples, seed, indices } = resolve(opts);
  const out = new Float64Array(resamples);
  if (n === 0) return out.fill(NaN);
  if (indices) {
    if (indices.length !== n * resamples) throw new RangeError(`precomputed indices hold ${indices.length} positions, not ${n} × ${resamples}`);
    for (let r = 0; r < resamples; r++) out[r] = stat(indices.subarray(r * n, (r + 1) * n));
    return out;
  }
  const rand = mulberry32(seed);
  const idx = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let j = 0; j < n; j++) idx[j] = Math.floor(rand() * n);
    out[r] = stat(idx);
  }
  return out;
}

/** Percentile interval of any statistic over n items. */
export function bootstrapCi(n: number, stat: IndexedStatistic, opts: BootstrapOptions = {}): ConfidenceInterval {
  const o = resolve(opts);
  const estimate = n === 0 ? NaN : stat(null);
  const dist = bootstrapDistribution(n, stat, o);
  const sorted = Float64Array.from(dist).sort();
  const alpha = (1 - o.level) / 2;
  return { estimate, low: quantileSorted(sorted, alpha), high: quantileSorted(sorted, 1 - alpha), level: o.level, resamples: o.resamples, seed: o.seed, n };
}

/** CI of a mean of per-item values. */
export function bootstrapMeanCi(values: ArrayLike<number>, opts: BootstrapOptions = {}): ConfidenceInterval {
  return bootstrapCi(values.length, (idx) => meanAt(values, idx), opts);
}

/**
 * CI of statA − statB where both statistics see the same resampled items (paired bootstrap).
 * For item means this equals the CI of the mean of per-item differences.
 */
export function pairedBootstrapCi(n: number, statA: IndexedStatistic, statB: IndexedStatistic, opts: BootstrapOptions = {}): ConfidenceInterval {
  return bootstrapCi(n, (idx) => statA(idx) - statB(idx), opts);
}

/** Paired CI of mean(a) − mean(b) over the same items. */
export function pairedBootstrapMeanCi(a: ArrayLike<number>, b: ArrayLike<number>, opts: BootstrapOptions = {}): ConfidenceInterval {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in length (${a.length} vs ${b.length})`);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i]! - b[i]!;
  return bootstrapMeanCi(d, opts);
}
