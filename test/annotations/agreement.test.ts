// Agreement statistics against hand-worked cases and the golden numbers of scikit-learn and statsmodels.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cohenKappa, fleissKappa, fleissKappaFromTable, kappaFor, weightedCohenKappa, weightedKappaFor } from '../../src/core/annotations/agreement';
import { SEVERITIES } from '../../src/shared/annotations';
import { REPO } from '../helpers';

interface GoldenCase {
  ratings: string[][];
  raters: number;
  cohen?: number;
  fleiss: number;
}
const golden = JSON.parse(fs.readFileSync(path.join(REPO, 'test/annotations/golden/kappa.json'), 'utf8')) as { cases: GoldenCase[] };
// sklearn's cohen_kappa_score(labels=severity order, weights='linear'|'quadratic'); pairwise mean for 3+ reviewers (weightedKappa.py).
const weightedGolden = JSON.parse(fs.readFileSync(path.join(REPO, 'test/annotations/golden/weightedKappa.json'), 'utf8')) as {
  order: string[];
  cases: { ratings: string[][]; raters: number; linear: number; quadratic: number }[];
};

describe('agreement', () => {
  it("Cohen's kappa, hand-worked: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no gives po .7, pe .5, kappa .4", () => {
    const a = [...Array(25).fill('yes'), ...Array(25).fill('no')] as string[];
    const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')] as string[];
    const k = cohenKappa(a, b);
    expect(k.observedAgreement).toBeCloseTo(0.7, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
    expect(k.counts).toEqual({ yes: 55, no: 45 });
  });

  it("Fleiss' kappa, hand-worked: Fleiss (1971)-style table of 10 subjects x 14 raters gives 0.210", () => {
    // The worked example on Wikipedia's "Fleiss' kappa" page.
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    expect(fleissKappaFromTable(table)).toBeCloseTo(0.20993070442195522, 12);
  });

  it('is null, not NaN, when every rating falls in one category', () => {
    expect(cohenKappa(['a', 'a'], ['a', 'a']).kappa).toBeNull();
    expect(fleissKappa([['a', 'a', 'a']]).kappa).toBeNull();
    expect(cohenKappa([], []).kappa).toBeNull();
  });

  it('matches sklearn cohen_kappa_score and statsmodels fleiss_kappa on the golden cases', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(8);
    for (const c of golden.cases) {
      const k = kappaFor(c.ratings, c.raters);
      if (c.raters === 2) {
        expect(k.method).toBe('cohen');
        expect(k.kappa).toBeCloseTo(c.cohen!, 12);
      } else expect(k.method).toBe('fleiss');
      expect(fleissKappa(c.ratings).kappa).toBeCloseTo(c.fleiss, 12);
    }
  });

  it('weighted kappa, hand-worked: none/none and severe/mild give 1/3 linear and 3/7 quadratic', () => {
    // Linear: observed weighted disagreement 0 + 2 = 2; expected (0 + 1 + 3 + 2) / 2 = 3; 1 - 2/3.
    expect(weightedCohenKappa(['none', 'severe'], ['none', 'mild'], SEVERITIES, 'linear')).toBeCloseTo(1 / 3, 12);
    // Quadratic: observed 0 + 4; expected (0 + 1 + 9 + 4) / 2 = 7; 1 - 4/7.
    expect(weightedCohenKappa(['none', 'severe'], ['none', 'mild'], SEVERITIES, 'quadratic')).toBeCloseTo(3 / 7, 12);
    // Off by one step costs less than off by three: the same exact-agreement count scores higher.
    const near = weightedCohenKappa(['none', 'mild', 'moderate', 'severe'], ['mild', 'mild', 'moderate', 'severe'], SEVERITIES, 'linear')!;
    const far = weightedCohenKappa(['none', 'mild', 'moderate', 'severe'], ['severe', 'mild', 'moderate', 'severe'], SEVERITIES, 'linear')!;
    expect(near).toBeGreaterThan(far);
    expect(weightedCohenKappa(['mild', 'mild'], ['mild', 'mild'], SEVERITIES, 'linear')).toBeNull();
    expect(() => weightedCohenKappa(['fatal'], ['mild'], SEVERITIES, 'linear')).toThrow(/not one of/);
  });

  it("weighted kappa matches sklearn cohen_kappa_score(weights='linear'|'quadratic') on the golden cases", () => {
    expect(weightedGolden.order).toEqual([...SEVERITIES]);
    expect(weightedGolden.cases.length).toBeGreaterThanOrEqual(6);
    for (const c of weightedGolden.cases) {
      for (const w of ['linear', 'quadratic'] as const) {
        const k = weightedKappaFor(c.ratings, c.raters, SEVERITIES, w);
        expect(k.method).toBe(c.raters === 2 ? 'cohen' : 'pairwise-mean');
        expect(k.kappa).toBeCloseTo(c[w], 12);
      }
    }
  });
});
