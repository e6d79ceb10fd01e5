// Statistics against numpy/scipy/statsmodels/scikit-learn values (test/stats/golden/generate_golden.py).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapCi, bootstrapMeanCi, mcnemarExact, pairedBootstrapMeanCi, pairedPermutationMeanTest, quantileSorted } from '../../src/core/stats';
import { sklearnMacroF1 } from '../../src/core/metrics/labelMacroF1';
import { REPO } from '../helpers';

const golden = JSON.parse(fs.readFileSync(path.join(REPO, 'test/stats/golden/goldenValues.json'), 'utf8'));

describe('stats against golden values', () => {
  it('percentiles interpolate linearly like numpy', () => {
    const g = golden.percentile;
    const sorted = [...(g.values as number[])].sort((a, b) => a - b);
    (g.q as number[]).forEach((q, i) => expect(quantileSorted(sorted, q)).toBeCloseTo(g.expected[i], 12));
  });

  it('bootstrap CI of a mean reproduces the mulberry32 resamples exactly and agrees with scipy', () => {
    for (const g of Object.values(golden.bootstrapMean) as {
      values: number[];
      seed: number;
      resamples: number;
      estimate: number;
      low: number;
      high: number;
      scipyLow: number;
      scipyHigh: number;
    }[]) {
      const ci = bootstrapMeanCi(g.values, { seed: g.seed, resamples: g.resamples });
      expect(ci.estimate).toBeCloseTo(g.estimate, 12);
      expect(ci.low).toBeCloseTo(g.low, 12);
      expect(ci.high).toBeCloseTo(g.high, 12);
      // scipy's own generator with 100,000 resamples: within Monte-Carlo error of 1,000.
      expect(Math.abs(ci.low - g.scipyLow)).toBeLessThan(0.03);
      expect(Math.abs(ci.high - g.scipyHigh)).toBeLessThan(0.03);
    }
  });

  it('paired bootstrap CI of a difference', () => {
    const g = golden.pairedBootstrap;
    const ci = pairedBootstrapMeanCi(g.a, g.b, { seed: g.seed, resamples: g.resamples });
    expect(ci.estimate).toBeCloseTo(g.estimate, 12);
    expect(ci.low).toBeCloseTo(g.low, 12);
    expect(ci.high).toBeCloseTo(g.high, 12);
    expect(Math.abs(ci.low - g.scipyLow)).toBeLessThan(0.005);
    expect(Math.abs(ci.high - g.scipyHigh)).toBeLessThan(0.005);
  });

  it('a corpus metric (macro-F1) is recomputed on each resample, as scikit-learn on the same positions', () => {
    const g = golden.macroF1Bootstrap;
    const gold = g.gold as string[];
    const pred = g.pred as string[];
    const stat = (idx: Int32Array | null) => {
      const ix = idx ? Array.from(idx) : gold.map((_, i) => i);
      return sklearnMacroF1(
        ix.map((i) => gold[i]!),
        ix.map((i) => pred[i]!),
      );
    };
    const ci = bootstrapCi(gold.length, stat, { seed: g.seed, resamples: g.resamples });
    expect(ci.estimate).toBeCloseTo(g.estimate, 12);
    expect(ci.low).toBeCloseTo(g.low, 12);
    expect(ci.high).toBeCloseTo(g.high, 12);
  });

  it('exact paired permutation p-values equal scipy.stats.permutation_test(n_resamples=inf)', () => {
    for (const g of golden.permutationExact) {
      const r = pairedPermutationMeanTest(g.a, g.b);
      expect(r.exact).toBe(true);
      expect(r.observed).toBeCloseTo(g.observed, 12);
      expect(r.p).toBeCloseTo(g.p, 12);
    }
  });

  it('the seeded Monte-Carlo permutation test agrees with scipy within its error', () => {
    const g = golden.permutationLarge;
    const r = pairedPermutationMeanTest(g.a, g.b, { resamples: 10_000, seed: 3 });
    expect(r.exact).toBe(false);
    // SE of a p near 0.36 with 10,000 draws is ≈ 0.005; allow 4 SE.
    expect(Math.abs(r.p - g.p)).toBeLessThan(0.02);
  });

  it("McNemar's exact p equals statsmodels and the mid-p equals scipy's binomial", () => {
    for (const g of golden.mcnemar) {
      const r = mcnemarExact(g.b, g.c);
      expect(r.pExact).toBeCloseTo(g.pExact, 12);
      expect(r.pMid).toBeCloseTo(g.pMid, 12);
    }
  });
});
