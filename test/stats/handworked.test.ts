// Hand-worked statistics: cases small enough to check on paper.
import { describe, expect, it } from 'vitest';
import {
  binomHalfCdf,
  bootstrapMeanCi,
  discordantPairs,
  mcnemarExact,
  pairedBootstrapMeanCi,
  pairedPermutationMeanTest,
  quantileSorted,
} from '../../src/core/stats';

describe('hand-worked statistics', () => {
  it('McNemar with b = 0, c = 5: p = 2·(1/2)^5 = 1/16; mid-p = 1/32', () => {
    const r = mcnemarExact(0, 5);
    expect(r.pExact).toBeCloseTo(1 / 16, 14);
    expect(r.pMid).toBeCloseTo(1 / 32, 14);
  });

  it('McNemar with b = 2, c = 4: P(X ≤ 2 | n = 6) = (1 + 6 + 15)/64, p = 44/64', () => {
    expect(binomHalfCdf(2, 6)).toBeCloseTo(22 / 64, 14);
    expect(mcnemarExact(2, 4).pExact).toBeCloseTo(44 / 64, 14);
    // mid-p = 44/64 − 15/64
    expect(mcnemarExact(2, 4).pMid).toBeCloseTo(29 / 64, 14);
  });

  it('counts discordant pairs from right/wrong flags', () => {
    expect(discordantPairs([true, true, false, false, true], [false, true, true, false, false])).toEqual({ b: 2, c: 1 });
    expect(() => discordantPairs([true], [])).toThrow(/differ in length/);
  });

  it('exact permutation: differences (1, 2, 3) — only the all-plus and all-minus signs reach |mean| = 2', () => {
    // Sign patterns of (1,2,3): sums 6, 4, 2, 0, 0, -2, -4, -6 → |sum| ≥ 6 in 2 of 8.
    const r = pairedPermutationMeanTest([1, 2, 3], [0, 0, 0]);
    expect(r.exact).toBe(true);
    expect(r.permutations).toBe(8);
    expect(r.p).toBe(2 / 8);
  });

  it('identical runs: p = 1, a zero-width difference interval', () => {
    const a = [1, 0, 1, 1, 0.5, 0.25];
    expect(pairedPermutationMeanTest(a, a).p).toBe(1);
    const ci = pairedBootstrapMeanCi(a, a);
    expect([ci.estimate, ci.low, ci.high]).toEqual([0, 0, 0]);
  });

  it('constant scores give a degenerate interval at the value', () => {
    const ci = bootstrapMeanCi([1, 1, 1, 1]);
    expect([ci.low, ci.high, ci.estimate]).toEqual([1, 1, 1]);
    expect(ci.resamples).toBe(1000);
    expect(ci.level).toBe(0.95);
  });

  it('the same seed gives the same interval; another seed another one', () => {
    const v = Array.from({ length: 40 }, (_, i) => ((i * 37) % 11) / 10);
    expect(bootstrapMeanCi(v, { seed: 1 })).toEqual(bootstrapMeanCi(v, { seed: 1 }));
    expect(bootstrapMeanCi(v, { seed: 1 }).low).not.toBe(bootstrapMeanCi(v, { seed: 2 }).low);
  });

  it('quantiles of [0, 10]: the 2.5th percentile is 0.25', () => {
    expect(quantileSorted([0, 10], 0.025)).toBeCloseTo(0.25, 14);
    expect(Number.isNaN(quantileSorted([], 0.5))).toBe(true);
  });

  it('empty samples give NaN estimates, never a made-up interval', () => {
    const ci = bootstrapMeanCi([]);
    expect(Number.isNaN(ci.estimate)).toBe(true);
    expect(Number.isNaN(ci.low)).toBe(true);
  });

  it('rejects bad options with the field named', () => {
    expect(() => bootstrapMeanCi([1], { resamples: 0 })).toThrow(/resamples/);
    expect(() => bootstrapMeanCi([1], { level: 1.5 })).toThrow(/level/);
    expect(() => mcnemarExact(-1, 2)).toThrow(/b must be a count/);
  });
});

describe('precomputed resample positions', () => {
  it('give exactly the intervals of the stream they were drawn from', async () => {
    const { resampleIndices } = await import('../../src/core/stats');
    const v = Array.from({ length: 50 }, (_, i) => ((i * 7919) % 13) / 13);
    const indices = resampleIndices(50, 1000, 5);
    expect(bootstrapMeanCi(v, { seed: 5, indices })).toEqual(bootstrapMeanCi(v, { seed: 5 }));
    expect(() => bootstrapMeanCi(v, { seed: 5, indices: resampleIndices(49, 1000, 5) })).toThrow(/not 50 × 1000/);
  });
});
